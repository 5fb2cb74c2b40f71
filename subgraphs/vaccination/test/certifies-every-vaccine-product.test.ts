import { HUB_VACCINE_CODES, inValueSet, VALUE_SETS } from '@health-hub/certificates';
import { certifiedDose } from '../src/certificate-fields';
import { VACCINE_PRODUCTS, type DoseFacts } from '../src';

describe('vaccination certificates', () => {
  it('have EU value-set codes for every vaccine product of the subgraph', () => {
    for (const product of VACCINE_PRODUCTS) {
      const codes = HUB_VACCINE_CODES[product];
      expect(codes).toBeDefined();
      expect(inValueSet(VALUE_SETS.vaccineMedicinalProduct, codes!.mp)).toBe(true);
      expect(inValueSet(VALUE_SETS.vaccineMahManf, codes!.ma)).toBe(true);
    }
  });

  it('certify the last dose as n of the first product\'s primary series, a booster as n of n', () => {
    const dose = (n: number, vaccine: DoseFacts['vaccine'], on: string): DoseFacts => ({ doseNumber: n, vaccine, administeredOn: on });
    expect(certifiedDose([])).toBeNull();
    expect(certifiedDose([dose(1, 'ABDALA', '2021-09-01')])).toEqual({ vaccine: 'ABDALA', doseNumber: 1, seriesDoses: 3, administeredOn: '2021-09-01' });
    expect(certifiedDose([dose(2, 'VERO_CELL', '2021-10-01'), dose(1, 'VERO_CELL', '2021-09-01')]))
      .toEqual({ vaccine: 'VERO_CELL', doseNumber: 2, seriesDoses: 2, administeredOn: '2021-10-01' });
    expect(certifiedDose([dose(1, 'VAXZEVRIA', '2021-07-01'), dose(2, 'VAXZEVRIA', '2021-09-20'), dose(3, 'COMIRNATY', '2022-01-15')]))
      .toEqual({ vaccine: 'COMIRNATY', doseNumber: 3, seriesDoses: 3, administeredOn: '2022-01-15' });
  });
});
