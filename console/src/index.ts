export { publicPage, PUBLIC_PAGE_PATH, type PublicPageOptions } from './public-page';
export { consolePage, consoleOperationsManifest, CONSOLE_MANIFEST_FILE, CONSOLE_PATH, type ConsolePageOptions } from './console-page';
