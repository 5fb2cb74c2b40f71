export { publicPage, PUBLIC_PAGE_PATH, type PublicPageOptions } from './public-page';
