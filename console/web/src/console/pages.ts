import type { ComponentType } from 'preact';
import type { Lang } from '../i18n';
import type { Operation } from './graphql';
import type { Session } from './session';

/** What the shell gives each page. */
export interface PageProps {
  session: Session;
  lang: Lang;
  /** Runs one of the page's operations (`operations/*.graphql`) as the signed-in partner. */
  run: <T>(operation: Operation, variables?: Record<string, unknown>) => Promise<T>;
  /** The console's clock (the browser's; tests set it). */
  now: () => Date;
}

/** One page of the console: one entry below, its code in `pages/<folder>/index.tsx` (default export). */
export interface ConsolePage {
  /** The page's address under `/console/#/`. */
  path: string;
  title: { vi: string; en: string };
  /** Scopes the partner must hold, all of them, for the page to be in its nav and to open. */
  scopes: readonly string[];
  /** Loads the page's component (a chunk of its own). */
  load: () => Promise<{ default: ComponentType<PageProps> }>;
}

/** Every page of the console, in nav order. Adding a page is one line here and the page's own folder. */
export const PAGES: readonly ConsolePage[] = [
  { path: 'daily-reports', title: { vi: 'Báo cáo ngày', en: 'Daily reports' }, scopes: ['cases:read'], load: () => import('./pages/daily-reports') },
  { path: 'control-map', title: { vi: 'Bản đồ kiểm soát dịch', en: 'Epidemic control map' }, scopes: ['cases:read'], load: () => import('./pages/control-map') },
  { path: 'connectors', title: { vi: 'Bộ kết nối', en: 'Connectors' }, scopes: ['connectors:operate'], load: () => import('./pages/connectors') },
  { path: 'stewardship', title: { vi: 'Đối soát danh tính', en: 'Stewardship' }, scopes: ['identity:steward'], load: () => import('./pages/stewardship') },
  { path: 'audit', title: { vi: 'Nhật ký kiểm toán', en: 'Audit' }, scopes: ['audit:read'], load: () => import('./pages/audit') },
  { path: 'certificates', title: { vi: 'Chứng nhận', en: 'Certificates' }, scopes: ['person:read'], load: () => import('./pages/certificates') },
];
