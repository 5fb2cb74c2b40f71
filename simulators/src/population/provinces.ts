/**
 * The 63 provinces of 2021 (codes, names and regions as in data/provinces.csv) with
 * approximate 2019 census figures, used only as weights for where people are registered.
 */

export interface Province {
  /** Official 2-digit code; the CCCD starts with "0" + this. */
  code: string;
  name: string;
  /** Socio-economic region, as in data/provinces.csv. */
  region: string;
  /** Approximate 2019 census population. */
  population: number;
}

type Row = readonly [code: string, name: string, region: string, population: number];

const RRD = 'Red River Delta';
const NMM = 'Northern Midlands and Mountains';
const NCC = 'North Central and Central Coast';
const CH = 'Central Highlands';
const SE = 'Southeast';
const MRD = 'Mekong River Delta';

// Approximate 2019 census figures (1 April 2019), rounded to the thousand.
const ROWS: readonly Row[] = [
  ['01', 'Hà Nội', RRD, 8_054_000],
  ['02', 'Hà Giang', NMM, 855_000],
  ['04', 'Cao Bằng', NMM, 530_000],
  ['06', 'Bắc Kạn', NMM, 314_000],
  ['08', 'Tuyên Quang', NMM, 785_000],
  ['10', 'Lào Cai', NMM, 730_000],
  ['11', 'Điện Biên', NMM, 599_000],
  ['12', 'Lai Châu', NMM, 460_000],
  ['14', 'Sơn La', NMM, 1_248_000],
  ['15', 'Yên Bái', NMM, 821_000],
  ['17', 'Hoà Bình', NMM, 854_000],
  ['19', 'Thái Nguyên', NMM, 1_287_000],
  ['20', 'Lạng Sơn', NMM, 782_000],
  ['22', 'Quảng Ninh', RRD, 1_320_000],
  ['24', 'Bắc Giang', NMM, 1_804_000],
  ['25', 'Phú Thọ', NMM, 1_464_000],
  ['26', 'Vĩnh Phúc', RRD, 1_151_000],
  ['27', 'Bắc Ninh', RRD, 1_369_000],
  ['30', 'Hải Dương', RRD, 1_892_000],
  ['31', 'Hải Phòng', RRD, 2_029_000],
  ['33', 'Hưng Yên', RRD, 1_253_000],
  ['34', 'Thái Bình', RRD, 1_860_000],
  ['35', 'Hà Nam', RRD, 853_000],
  ['36', 'Nam Định', RRD, 1_780_000],
  ['37', 'Ninh Bình', RRD, 982_000],
  ['38', 'Thanh Hoá', NCC, 3_640_000],
  ['40', 'Nghệ An', NCC, 3_328_000],
  ['42', 'Hà Tĩnh', NCC, 1_289_000],
  ['44', 'Quảng Bình', NCC, 895_000],
  ['45', 'Quảng Trị', NCC, 632_000],
  ['46', 'Thừa Thiên Huế', NCC, 1_129_000],
  ['48', 'Đà Nẵng', NCC, 1_134_000],
  ['49', 'Quảng Nam', NCC, 1_496_000],
  ['51', 'Quảng Ngãi', NCC, 1_232_000],
  ['52', 'Bình Định', NCC, 1_487_000],
  ['54', 'Phú Yên', NCC, 873_000],
  ['56', 'Khánh Hoà', NCC, 1_231_000],
  ['58', 'Ninh Thuận', NCC, 590_000],
  ['60', 'Bình Thuận', NCC, 1_231_000],
  ['62', 'Kon Tum', CH, 540_000],
  ['64', 'Gia Lai', CH, 1_514_000],
  ['66', 'Đắk Lắk', CH, 1_869_000],
  ['67', 'Đắk Nông', CH, 622_000],
  ['68', 'Lâm Đồng', CH, 1_297_000],
  ['70', 'Bình Phước', SE, 995_000],
  ['72', 'Tây Ninh', SE, 1_169_000],
  ['74', 'Bình Dương', SE, 2_427_000],
  ['75', 'Đồng Nai', SE, 3_097_000],
  ['77', 'Bà Rịa - Vũng Tàu', SE, 1_148_000],
  ['79', 'Hồ Chí Minh', SE, 8_993_000],
  ['80', 'Long An', MRD, 1_689_000],
  ['82', 'Tiền Giang', MRD, 1_764_000],
  ['83', 'Bến Tre', MRD, 1_288_000],
  ['84', 'Trà Vinh', MRD, 1_009_000],
  ['86', 'Vĩnh Long', MRD, 1_023_000],
  ['87', 'Đồng Tháp', MRD, 1_600_000],
  ['89', 'An Giang', MRD, 1_908_000],
  ['91', 'Kiên Giang', MRD, 1_723_000],
  ['92', 'Cần Thơ', MRD, 1_235_000],
  ['93', 'Hậu Giang', MRD, 733_000],
  ['94', 'Sóc Trăng', MRD, 1_200_000],
  ['95', 'Bạc Liêu', MRD, 907_000],
  ['96', 'Cà Mau', MRD, 1_194_000],
];

/** The 63 provinces in code order, with approximate 2019 census populations. */
export const PROVINCES: ReadonlyArray<Province> = Object.freeze(
  ROWS.map(([code, name, region, population]) => Object.freeze({ code, name: name.normalize('NFC'), region, population })),
);

/** Province position in PROVINCES by numeric code; -1 where no province has that code. */
export const PROVINCE_INDEX_BY_CODE: Int16Array = (() => {
  const t = new Int16Array(100).fill(-1);
  PROVINCES.forEach((p, i) => (t[Number(p.code)] = i));
  return t;
})();

export function provinceIndexOf(code: string): number {
  if (code.length !== 2) return -1;
  const n = Number(code);
  return Number.isInteger(n) && n >= 0 && n < 100 ? PROVINCE_INDEX_BY_CODE[n]! : -1;
}

/** Coarse cultural zone: surnames, hamlet words and epidemic waves differ by it. */
export type Zone = 0 | 1 | 2;
export const ZONE_NORTH: Zone = 0;
export const ZONE_CENTRAL: Zone = 1;
export const ZONE_SOUTH: Zone = 2;

export const PROVINCE_ZONE: readonly Zone[] = PROVINCES.map((p) =>
  p.region === RRD || p.region === NMM ? ZONE_NORTH : p.region === NCC || p.region === CH ? ZONE_CENTRAL : ZONE_SOUTH,
);

/** True for the northern mountain provinces, where hamlets are "bản". */
export const PROVINCE_MOUNTAIN: readonly boolean[] = PROVINCES.map((p) => p.region === NMM);

/** The five centrally-run cities: mostly urban districts. */
export const CENTRAL_CITIES: ReadonlySet<string> = new Set(['01', '31', '48', '79', '92']);

/** Where people who live away from their permanent address mostly go (labour migration). */
export const MIGRATION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['79', 30],
  ['01', 18],
  ['74', 12],
  ['75', 7],
  ['48', 4],
  ['27', 4],
  ['31', 3],
  ['92', 2],
  ['80', 2],
  ['77', 2],
  ['56', 1],
  ['22', 1],
];
