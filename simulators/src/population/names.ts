import { type Rng, WeightedTable } from './prng';
import { type Zone, ZONE_CENTRAL, ZONE_NORTH } from './provinces';

/**
 * Vietnamese names. Surname shares follow the commonly cited national figures; Huỳnh/Hoàng
 * and Võ/Vũ are one name each written differently north and south, so their split depends
 * on the zone. Middle names change with the birth cohort: Văn and Thị dominate among older
 * people and much less among the young.
 */

const nfc = (s: string): string => s.normalize('NFC');

// Share in percent of the 14 common surnames (Huỳnh/Hoàng and Vũ/Võ counted as one each).
const COMMON_SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 38.4],
  ['Trần', 11.0],
  ['Lê', 9.5],
  ['Phạm', 7.0],
  ['Hoàng|Huỳnh', 5.1],
  ['Phan', 4.5],
  ['Vũ|Võ', 3.9],
  ['Đặng', 2.1],
  ['Bùi', 2.0],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1.0],
  ['Lý', 0.5],
];

// The long tail (about 11% together), roughly in decreasing frequency.
const RARE_SURNAMES = [
  'Đào', 'Đoàn', 'Vương', 'Trịnh', 'Trương', 'Lâm', 'Phùng', 'Mai', 'Tô', 'Hà', 'Tạ', 'Cao', 'Lương',
  'Đinh', 'Quách', 'Thái', 'Châu', 'Triệu', 'Lưu', 'Chu', 'Hứa', 'Từ', 'Khúc', 'Mạc', 'Thân', 'Giang',
  'Kim', 'Tăng', 'Lạc', 'Âu', 'Doãn', 'Hầu', 'Khổng', 'Lò', 'Lục', 'Nông', 'Ông', 'Ninh', 'Quan', 'Tôn',
  'Bạch', 'Bế', 'Ma', 'Vi', 'Lã', 'Kiều', 'Tiêu', 'Diệp', 'Nghiêm', 'Lai', 'Đàm', 'Đồng', 'Cù', 'Tống',
  'Thạch', 'Danh', 'Sơn', 'Giáp', 'Phó', 'Mẫn', 'Văn', 'Hoa', 'Lều', 'Chử', 'Đậu', 'Đới', 'Khuất',
];
const RARE_TOTAL = 11.0;

function zipf(names: readonly string[], total: number, exponent: number, offset = 1): Array<readonly [string, number]> {
  const raw = names.map((_, k) => 1 / Math.pow(k + offset, exponent));
  const sum = raw.reduce((a, b) => a + b, 0);
  return names.map((n, k) => [nfc(n), (raw[k]! * total) / sum] as const);
}

function surnameTable(zone: Zone): WeightedTable<string> {
  // North writes Hoàng and Vũ; the south Huỳnh and Võ; the centre mixes.
  const hoang = zone === ZONE_NORTH ? 0.9 : zone === ZONE_CENTRAL ? 0.5 : 0.15;
  const vu = zone === ZONE_NORTH ? 0.9 : zone === ZONE_CENTRAL ? 0.3 : 0.1;
  const entries: Array<readonly [string, number]> = [];
  for (const [name, share] of COMMON_SURNAMES) {
    if (name === 'Hoàng|Huỳnh') entries.push(['Hoàng', share * hoang], ['Huỳnh', share * (1 - hoang)]);
    else if (name === 'Vũ|Võ') entries.push(['Vũ', share * vu], ['Võ', share * (1 - vu)]);
    else entries.push([name, share]);
  }
  entries.push(...zipf(RARE_SURNAMES, RARE_TOTAL, 0.9));
  return new WeightedTable(entries.map(([n, w]) => [nfc(n), w] as const));
}

const SURNAMES: readonly WeightedTable<string>[] = [surnameTable(0), surnameTable(1), surnameTable(2)];

/** All surnames the generator can produce. */
export const SURNAME_LIST: readonly string[] = [...new Set(SURNAMES.flatMap((t) => t.items))];

export function sampleFamilyName(rng: Rng, zone: Zone): string {
  return SURNAMES[zone]!.sample(rng);
}

type Cohort = 0 | 1 | 2;
function cohortOf(birthYear: number): Cohort {
  return birthYear < 1970 ? 0 : birthYear < 1995 ? 1 : 2;
}

const MALE_MIDDLE: ReadonlyArray<ReadonlyArray<readonly [string, number]>> = [
  [['Văn', 55], ['Đức', 6], ['Hữu', 6], ['Đình', 5], ['Xuân', 4], ['Quang', 4], ['Minh', 4], ['Thanh', 4], ['Ngọc', 3], ['Công', 3], ['Quốc', 2], ['Bá', 2], ['Trọng', 2], ['Tấn', 2], ['Viết', 1]],
  [['Văn', 35], ['Minh', 7], ['Đức', 6], ['Quốc', 5], ['Thanh', 5], ['Hữu', 4], ['Hoàng', 4], ['Quang', 4], ['Công', 3], ['Đình', 3], ['Xuân', 3], ['Ngọc', 3], ['Tấn', 3], ['Tuấn', 2], ['Anh', 2], ['Trọng', 2], ['Thành', 2], ['Duy', 2], ['Hải', 2], ['Việt', 2]],
  [['Văn', 15], ['Minh', 10], ['Gia', 7], ['Đức', 7], ['Quốc', 6], ['Hoàng', 6], ['Anh', 6], ['Bảo', 6], ['Thanh', 4], ['Tuấn', 4], ['Duy', 4], ['Nhật', 4], ['Quang', 4], ['Trung', 3], ['Hữu', 3], ['Hải', 3], ['Khánh', 3], ['Đăng', 3], ['Thiên', 3], ['Việt', 3], ['Phúc', 2], ['Chí', 2], ['Công', 2], ['Trọng', 2]],
];
const FEMALE_MIDDLE: ReadonlyArray<ReadonlyArray<readonly [string, number]>> = [
  [['Thị', 75], ['Ngọc', 4], ['Thanh', 4], ['Kim', 4], ['Thu', 3], ['Hồng', 3], ['Minh', 2], ['Xuân', 2], ['Bích', 2], ['Mỹ', 1]],
  [['Thị', 50], ['Ngọc', 7], ['Thanh', 6], ['Thu', 5], ['Kim', 4], ['Hồng', 4], ['Mỹ', 4], ['Phương', 3], ['Minh', 3], ['Thùy', 3], ['Bích', 2], ['Hoài', 2], ['Diệu', 2], ['Xuân', 2], ['Quỳnh', 2], ['Khánh', 1]],
  [['Thị', 25], ['Ngọc', 9], ['Bảo', 6], ['Khánh', 6], ['Minh', 6], ['Thanh', 5], ['Gia', 5], ['Phương', 5], ['Thu', 4], ['Mỹ', 4], ['Hà', 4], ['Quỳnh', 4], ['Thùy', 3], ['Diệu', 3], ['Kim', 3], ['Như', 3], ['Hoài', 3], ['Yến', 2], ['Cẩm', 2], ['Tú', 2], ['An', 2]],
];

const toTables = (rows: ReadonlyArray<ReadonlyArray<readonly [string, number]>>) =>
  rows.map((r) => new WeightedTable(r.map(([n, w]) => [nfc(n), w] as const)));
const MIDDLE: readonly (readonly WeightedTable<string>[])[] = [toTables(MALE_MIDDLE), toTables(FEMALE_MIDDLE)];

/** Share of people with no middle name at all. */
const NO_MIDDLE = 0.05;
/** Share with a two-word middle name ("Thị Ngọc"), by sex. */
const DOUBLE_MIDDLE = [0.04, 0.09];

/** sex: 0 male, 1 female. */
export function sampleMiddleName(rng: Rng, sex: 0 | 1, birthYear: number): string | null {
  const u = rng.float();
  if (u < NO_MIDDLE) return null;
  const table = MIDDLE[sex]![cohortOf(birthYear)]!;
  const first = table.sample(rng);
  if (u < NO_MIDDLE + DOUBLE_MIDDLE[sex]!) {
    const second = table.sample(rng);
    if (second !== first && second !== 'Văn' && second !== 'Thị') return `${first} ${second}`;
  }
  return first;
}

// Given names, roughly in decreasing popularity; weights follow a Zipf law over this order.
const MALE_GIVEN = [
  'Anh', 'Minh', 'Huy', 'Hùng', 'Dũng', 'Tuấn', 'Hải', 'Nam', 'Long', 'Quân', 'Đức', 'Sơn', 'Thành',
  'Cường', 'Khánh', 'Hoàng', 'Phúc', 'Bảo', 'Trung', 'Tùng', 'Thắng', 'Hiếu', 'Việt', 'Vinh', 'Hưng',
  'Tâm', 'Phong', 'Linh', 'Duy', 'Khoa', 'Lâm', 'Tài', 'Đạt', 'Thịnh', 'Tiến', 'Toàn', 'Trí', 'Hòa',
  'Bình', 'Quang', 'Lộc', 'Nghĩa', 'Nhân', 'Phát', 'Tân', 'Thanh', 'Trọng', 'Kiên', 'Khang', 'Khôi',
  'Hiệp', 'Công', 'Chiến', 'Mạnh', 'Lợi', 'Phú', 'Phước', 'Quốc', 'Quý', 'Sang', 'Thái', 'Thông',
  'Thuận', 'Tín', 'Tú', 'Vũ', 'Vương', 'Xuân', 'An', 'Ân', 'Bách', 'Bằng', 'Cảnh', 'Chính', 'Chung',
  'Đại', 'Đông', 'Định', 'Dương', 'Giang', 'Hào', 'Hậu', 'Hiển', 'Hoàn', 'Học', 'Khải', 'Kiệt', 'Lân',
  'Luân', 'Lực', 'Ngọc', 'Nguyên', 'Nhật', 'Ninh', 'Phương', 'Quyết', 'Thạch', 'Thiện', 'Toản',
  'Trường', 'Tường', 'Uy', 'Vĩnh', 'Yên', 'Đăng', 'Điền', 'Kha', 'Khương', 'Liêm', 'Lương', 'Mẫn',
  'Nhựt', 'Quyền', 'Sỹ', 'Tạo', 'Thọ', 'Thức', 'Tiệp', 'Tình', 'Trực', 'Tuệ', 'Vỹ', 'Cương', 'Danh',
  'Khiêm', 'Lập', 'Phi', 'Sáng', 'Tấn', 'Thiên', 'Tuân', 'Huân', 'Hưởng', 'Kính', 'Luật', 'Năm',
  'Sáu', 'Tư', 'Bảy', 'Tám', 'Hà', 'Đạo', 'Hòa', 'Lãm', 'Nhã', 'Quảng', 'Tịnh', 'Vinh', 'Đắc',
  'Khuê', 'Thạc', 'Viễn', 'Hợp', 'Duyệt', 'Hoạt', 'Châu', 'Điệp',
];
const FEMALE_GIVEN = [
  'Anh', 'Linh', 'Trang', 'Hương', 'Hà', 'Lan', 'Hạnh', 'Huyền', 'Ngọc', 'Thảo', 'Phương', 'Nhung',
  'Hằng', 'Hoa', 'Mai', 'Thủy', 'Yến', 'Vy', 'Nhi', 'Hiền', 'Giang', 'Dung', 'Loan', 'Hồng', 'Oanh',
  'Tâm', 'Thu', 'Trinh', 'Nga', 'Uyên', 'Ly', 'Quỳnh', 'Châu', 'Duyên', 'Hân', 'Diệp', 'Hòa', 'Thư',
  'Thúy', 'Tuyết', 'Vân', 'Xuân', 'My', 'Nhàn', 'Ngân', 'Nguyệt', 'Như', 'Phượng', 'Quyên', 'Sương',
  'Tú', 'Tuyền', 'Thanh', 'Thoa', 'Thơ', 'Thương', 'Trâm', 'Trúc', 'Vi', 'Ánh', 'Bích', 'Cúc', 'Chi',
  'Đào', 'Điệp', 'Gấm', 'Hạ', 'Khanh', 'Khuê', 'Kiều', 'Lam', 'Liên', 'Liễu', 'Lụa', 'Mận', 'Mến',
  'Minh', 'Mỹ', 'Na', 'Nhã', 'Nhiên', 'Phụng', 'Quế', 'Sen', 'Thắm', 'Thêu', 'Thi', 'Thìn', 'Thùy',
  'Tiên', 'Tình', 'Trà', 'Uyển', 'Xoan', 'An', 'Ái', 'Băng', 'Cầm', 'Dịu', 'Đan', 'Hảo', 'Hường',
  'Huệ', 'Lành', 'Lệ', 'Lài', 'Mơ', 'Ngà', 'Nhạn', 'Nụ', 'Phấn', 'San', 'Thoại', 'Thục', 'Tươi',
  'Vui', 'Xinh', 'Ý', 'Diễm', 'Hậu', 'Hoài', 'Khánh', 'Lâm', 'Lợi', 'Ngần', 'Nhị',
  'Phúc', 'Quyết', 'Sa', 'Thuận', 'Thư', 'Trinh', 'Tường', 'Yên',
];

const dedupe = (names: readonly string[]): string[] => [...new Set(names.map(nfc))];
const GIVEN: readonly WeightedTable<string>[] = [
  // Offset so the head is not too steep: the commonest given name, Anh, is ~5% of people.
  new WeightedTable(zipf(dedupe(MALE_GIVEN), 1, 0.9, 4)),
  new WeightedTable(zipf(dedupe(FEMALE_GIVEN), 1, 0.9, 4)),
];

/** sex: 0 male, 1 female. */
export function sampleGivenName(rng: Rng, sex: 0 | 1): string {
  return GIVEN[sex]!.sample(rng);
}

/** Distinct given names the generator uses, by sex (0 male, 1 female). */
export const GIVEN_NAME_COUNTS: readonly [number, number] = [GIVEN[0]!.items.length, GIVEN[1]!.items.length];

/**
 * Removes tone marks and diacritics the way people type without a Vietnamese keyboard.
 * đ/Đ are letters of their own and do not decompose, so they are mapped by hand.
 */
export function stripToneMarks(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
