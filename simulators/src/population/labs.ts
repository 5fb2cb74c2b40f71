import { WeightedTable } from './prng';
import { PROVINCES } from './provinces';

/**
 * Laboratories licensed for COVID-19 testing, split between the two lab feeds: the ones on
 * the FHIR gateway and the ones that still upload CSV files.
 */
export interface Lab {
  id: string;
  name: string;
  provinceCode: string;
  source: 'lab-fhir' | 'lab-csv';
}

/** The labs reporting COVID-19 tests, with stable ids and the feed each reports through. */
export const LABS: ReadonlyArray<Lab> = Object.freeze(
  (
    [
      ['LAB-NIHE', 'Viện Vệ sinh Dịch tễ Trung ương', '01', 'lab-fhir'],
      ['LAB-HNCDC', 'Trung tâm Kiểm soát Bệnh tật thành phố Hà Nội', '01', 'lab-csv'],
      ['LAB-BACHMAI', 'Bệnh viện Bạch Mai', '01', 'lab-fhir'],
      ['LAB-NHTD', 'Bệnh viện Bệnh Nhiệt đới Trung ương', '01', 'lab-fhir'],
      ['LAB-BGCDC', 'Trung tâm Kiểm soát Bệnh tật tỉnh Bắc Giang', '24', 'lab-csv'],
      ['LAB-PINT', 'Viện Pasteur Nha Trang', '56', 'lab-csv'],
      ['LAB-DNCDC', 'Trung tâm Kiểm soát Bệnh tật thành phố Đà Nẵng', '48', 'lab-fhir'],
      ['LAB-TIHE', 'Viện Vệ sinh Dịch tễ Tây Nguyên', '66', 'lab-csv'],
      ['LAB-PIHCM', 'Viện Pasteur Thành phố Hồ Chí Minh', '79', 'lab-fhir'],
      ['LAB-HCDC', 'Trung tâm Kiểm soát Bệnh tật Thành phố Hồ Chí Minh', '79', 'lab-csv'],
      ['LAB-CHORAY', 'Bệnh viện Chợ Rẫy', '79', 'lab-fhir'],
      ['LAB-BDCDC', 'Trung tâm Kiểm soát Bệnh tật tỉnh Bình Dương', '74', 'lab-csv'],
      ['LAB-CTCDC', 'Trung tâm Kiểm soát Bệnh tật thành phố Cần Thơ', '92', 'lab-csv'],
    ] as const
  ).map(([id, name, provinceCode, source]) => Object.freeze({ id, name: name.normalize('NFC'), provinceCode, source })),
);

const labIndex = (id: string): number => LABS.findIndex((l) => l.id === id);

// Which labs take samples from where: a lab serves its own province first and its region
// as a reference lab.
const SERVES_PROVINCE: ReadonlyArray<readonly [labId: string, provinceCode: string, weight: number]> = [
  ['LAB-HNCDC', '01', 6],
  ['LAB-BACHMAI', '01', 2],
  ['LAB-NHTD', '01', 1],
  ['LAB-NIHE', '01', 1],
  ['LAB-BGCDC', '24', 6],
  ['LAB-BGCDC', '27', 2],
  ['LAB-DNCDC', '48', 6],
  ['LAB-DNCDC', '49', 2],
  ['LAB-PINT', '56', 4],
  ['LAB-HCDC', '79', 6],
  ['LAB-CHORAY', '79', 2],
  ['LAB-PIHCM', '79', 2],
  ['LAB-BDCDC', '74', 6],
  ['LAB-CTCDC', '92', 6],
];
const SERVES_REGION: ReadonlyArray<readonly [labId: string, region: string, weight: number]> = [
  ['LAB-NIHE', 'Red River Delta', 3],
  ['LAB-NIHE', 'Northern Midlands and Mountains', 3],
  ['LAB-BACHMAI', 'Red River Delta', 1],
  ['LAB-NHTD', 'Northern Midlands and Mountains', 1],
  ['LAB-PINT', 'North Central and Central Coast', 3],
  ['LAB-DNCDC', 'North Central and Central Coast', 1],
  ['LAB-TIHE', 'Central Highlands', 4],
  ['LAB-PIHCM', 'Southeast', 3],
  ['LAB-PIHCM', 'Mekong River Delta', 2],
  ['LAB-CHORAY', 'Southeast', 1],
  ['LAB-CTCDC', 'Mekong River Delta', 3],
];

/** Per province, the labs its samples go to, weighted. */
export const LABS_FOR_PROVINCE: readonly WeightedTable<number>[] = PROVINCES.map((p) => {
  const own = SERVES_PROVINCE.filter(([, code]) => code === p.code);
  const rows: Array<readonly [number, number]> = own.map(([id, , w]) => [labIndex(id), w] as const);
  // Reference labs take a smaller share where the province has a lab of its own.
  for (const [id, region, w] of SERVES_REGION) if (region === p.region) rows.push([labIndex(id), own.length > 0 ? w / 4 : w]);
  return new WeightedTable(rows);
});
