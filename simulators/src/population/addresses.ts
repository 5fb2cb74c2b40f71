import { adminTables, type Ward } from './admin-units';
import type { Rng } from './prng';
import { PROVINCE_MOUNTAIN, PROVINCE_ZONE, ZONE_CENTRAL, ZONE_NORTH, ZONE_SOUTH } from './provinces';

// Local aliases of Math functions: see prng.ts.
const { floor } = Math;

/**
 * The street part of an address. Conventions differ by region and by urban/rural ward:
 * Hà Nội writes "ngõ … phố …", the south numbers alleys "123/45", Huế and Đà Nẵng say
 * "kiệt"; rural addresses name the village: "thôn"/"xóm" in the north, "bản" in the
 * northern mountains, "ấp" in the south.
 */

const STREETS = [
  'Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung', 'Nguyễn Trãi',
  'Phan Chu Trinh', 'Hùng Vương', 'Điện Biên Phủ', 'Cách Mạng Tháng Tám', 'Nguyễn Văn Cừ', 'Võ Thị Sáu',
  'Lê Duẩn', 'Trần Phú', 'Nguyễn Du', 'Lê Lai', 'Phan Đình Phùng', 'Bà Triệu', 'Lý Tự Trọng',
  'Nguyễn Thị Minh Khai', 'Hoàng Văn Thụ', 'Lê Hồng Phong', 'Nguyễn Thái Học', 'Trường Chinh',
  'Phạm Văn Đồng', 'Võ Nguyên Giáp', 'Tôn Đức Thắng', 'Nguyễn Đình Chiểu', 'Pasteur', 'Chu Văn An',
  'Ngô Quyền', 'Lê Thánh Tông', 'Trần Quốc Toản', 'Phan Bội Châu', 'Huỳnh Thúc Kháng', 'Nguyễn Tri Phương',
  'Lạc Long Quân', 'Âu Cơ', 'Kim Mã', 'Cầu Giấy', 'Xuân Thủy', 'Giải Phóng', 'Láng', 'Bạch Đằng',
  'Hoàng Diệu', 'Nguyễn Văn Linh', 'Tô Hiến Thành', 'Ba Tháng Hai', 'Lê Văn Sỹ', 'Nguyễn Oanh',
  'Quang Trung', 'Hồ Tùng Mậu', 'Trần Cao Vân', 'Nguyễn Chí Thanh', 'Lê Quang Đạo', 'Mạc Đĩnh Chi',
  'Yersin', 'Phạm Ngũ Lão', 'Đinh Tiên Hoàng', 'Hàm Nghi',
].map((s) => s.normalize('NFC'));

const VILLAGE_FIRST = [
  'Đông', 'Tây', 'Nam', 'Bắc', 'Thượng', 'Hạ', 'Trung', 'Phú', 'Tân', 'An', 'Mỹ', 'Bình', 'Hòa', 'Phước',
  'Long', 'Thạnh', 'Vĩnh', 'Yên', 'Xuân', 'Kim', 'Đồng', 'Văn', 'Cổ', 'Phương',
].map((s) => s.normalize('NFC'));
const VILLAGE_SECOND = [
  'Lạc', 'Thịnh', 'Hưng', 'Lộc', 'Phú', 'Hòa', 'An', 'Lợi', 'Điền', 'Khê', 'Sơn', 'Thủy', 'Trì', 'Xá',
  'Tiến', 'Thành', 'Mỹ', 'Hiệp', 'Quý', 'Đông', 'Tây', 'Bình', 'Hải', 'Trung',
].map((s) => s.normalize('NFC'));
const MOUNTAIN_VILLAGES = [
  'Nà Hẩu', 'Pác Nặm', 'Nậm Cang', 'Khuổi Tát', 'Pá Hốc', 'Nà Lừa', 'Huổi Lếch', 'Phiêng Luông',
  'Bó Mạ', 'Nà Pục', 'Lũng Vài', 'Co Muồng', 'Pắc Ngà', 'Hua Pe',
].map((s) => s.normalize('NFC'));

function village(rng: Rng): string {
  const a = rng.pick(VILLAGE_FIRST);
  let b = rng.pick(VILLAGE_SECOND);
  if (b === a) b = 'Lộc';
  return `${a} ${b}`;
}

/** A street/hamlet line for someone living in `wardIndex` (global ward index). */
export function addressLine(rng: Rng, wardIndex: number): string {
  const t = adminTables();
  const ward: Ward = t.wards[wardIndex]!;
  const provinceIndex = t.districts[ward.districtIndex]!.provinceIndex;
  const zone = PROVINCE_ZONE[provinceIndex]!;
  const u = rng.float();
  const house = 1 + floor(rng.float() * rng.float() * 400);
  if (ward.urban) {
    const street = rng.pick(STREETS);
    if (u < 0.1) return `Tổ ${rng.between(1, 40)}, khu phố ${rng.between(1, 12)}`;
    if (zone === ZONE_NORTH) {
      if (u < 0.55) return `Số ${house}, ngõ ${rng.between(1, 300)}, phố ${street}`;
      return `Số ${house}, đường ${street}`;
    }
    if (zone === ZONE_SOUTH) {
      if (u < 0.45) return `Số ${house}/${rng.between(1, 120)}, đường ${street}`;
      if (u < 0.6) return `Số ${house}, hẻm ${rng.between(1, 500)}, đường ${street}`;
      return `Số ${house}, đường ${street}`;
    }
    if (zone === ZONE_CENTRAL && u < 0.3) return `Số ${house}, kiệt ${rng.between(1, 200)}, đường ${street}`;
    return `Số ${house}, đường ${street}`;
  }
  if (PROVINCE_MOUNTAIN[provinceIndex] && u < 0.6) return `Bản ${rng.pick(MOUNTAIN_VILLAGES)}`;
  if (zone === ZONE_SOUTH) return u < 0.8 ? `Ấp ${village(rng)}` : `Ấp ${rng.between(1, 12)}`;
  if (zone === ZONE_NORTH && u < 0.3) return `Xóm ${rng.between(1, 15)}, thôn ${village(rng)}`;
  return u < 0.85 ? `Thôn ${village(rng)}` : `Thôn ${rng.between(1, 12)}`;
}

/** A ward of a province, uniformly. */
export function sampleWard(rng: Rng, provinceIndex: number): number {
  const t = adminTables();
  const first = t.provinceFirstWard[provinceIndex]!;
  return first + rng.below(t.provinceFirstWard[provinceIndex + 1]! - first);
}
