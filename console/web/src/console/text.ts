import type { Lang } from '../i18n';

const vi = {
  console: 'Bảng điều hành Health Hub',
  signIn: 'Đăng nhập',
  signInIntro: 'Đăng nhập bằng mã đối tác và khóa API do Health Hub cấp. Khóa chỉ dùng để lấy mã truy cập, không được lưu lại.',
  partnerId: 'Mã đối tác',
  apiKey: 'Khóa API',
  purpose: 'Mục đích sử dụng',
  signingIn: 'Đang đăng nhập…',
  signOut: 'Đăng xuất',
  language: 'Ngôn ngữ',
  signedInAs: (partner: string) => `Đối tác: ${partner}`,
  provinceOnly: (name: string) => `Chỉ ${name}`,
  nationwide: 'Toàn quốc',
  badCredentials: 'Sai mã đối tác hoặc khóa API.',
  badPurpose: (purposes: string) => `Đối tác này không được cấp mục đích đã chọn. Mục đích được cấp: ${purposes}.`,
  unavailable: 'Không kết nối được Health Hub. Thử lại sau.',
  noPages: 'Đối tác này không có quyền xem trang nào của bảng điều hành.',
  notAllowed: 'Đối tác này không có quyền xem trang này.',
  notFound: 'Không có trang này.',
  loading: 'Đang tải…',
  failed: 'Không tải được',
  nav: 'Các trang',
  purposes: {
    'epidemic-prevention': 'Phòng, chống dịch', treatment: 'Điều trị', 'contact-tracing': 'Truy vết',
    'vaccination-certificate': 'Chứng nhận tiêm chủng', 'identity-resolution': 'Đối soát danh tính', audit: 'Kiểm toán',
    operations: 'Vận hành hệ thống',
  } as Record<string, string>,
};

const en: typeof vi = {
  console: 'Health Hub operator console',
  signIn: 'Sign in',
  signInIntro: 'Sign in with the partner ID and API key Health Hub issued. The key is used once to get an access token and is not kept.',
  partnerId: 'Partner ID',
  apiKey: 'API key',
  purpose: 'Purpose of use',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  language: 'Language',
  signedInAs: (partner: string) => `Partner: ${partner}`,
  provinceOnly: (name: string) => `${name} only`,
  nationwide: 'Nationwide',
  badCredentials: 'Wrong partner ID or API key.',
  badPurpose: (purposes: string) => `This partner is not granted the chosen purpose. Granted: ${purposes}.`,
  unavailable: 'Health Hub did not answer. Try again later.',
  noPages: 'This partner may see none of the console’s pages.',
  notAllowed: 'This partner may not see this page.',
  notFound: 'No such page.',
  loading: 'Loading…',
  failed: 'Could not load',
  nav: 'Pages',
  purposes: {
    'epidemic-prevention': 'Epidemic prevention', treatment: 'Treatment', 'contact-tracing': 'Contact tracing',
    'vaccination-certificate': 'Vaccination certificate', 'identity-resolution': 'Identity resolution', audit: 'Audit',
    operations: 'Operations',
  },
};

/** The shell's words in each language (each page keeps its own). */
export const SHELL_TEXT: Record<Lang, typeof vi> = { vi, en };

/** The purposes a partner may state (`PURPOSES` of `schema/src/access.ts`), in the order the sign-in form offers them. */
export const PURPOSES = Object.keys(vi.purposes);
