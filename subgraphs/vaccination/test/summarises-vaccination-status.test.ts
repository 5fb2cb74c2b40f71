import { subgraphTypeDefs } from '@health-hub/schema';
import { Kind, type EnumTypeDefinitionNode } from 'graphql';
import { VACCINE_PRODUCTS, VACCINES, vaccinationStatus, type DoseFacts } from '../src';

const dose = (doseNumber: number, vaccine: DoseFacts['vaccine'], administeredOn: string): DoseFacts => ({ doseNumber, vaccine, administeredOn });

describe('vaccinationStatus', () => {
  it('is empty for a person without doses', () => {
    expect(vaccinationStatus([])).toEqual({
      doses: 0, lastDoseOn: null, lastVaccine: null, fullyVaccinated: false, primarySeriesCompletedOn: null, boosterDoses: 0,
    });
  });

  it('takes the primary series from the first product and counts mixed boosters after it', () => {
    // Given out of order on purpose: the summary must not depend on the caller's order.
    const status = vaccinationStatus([
      dose(3, 'COMIRNATY', '2022-01-10'),
      dose(1, 'VERO_CELL', '2021-08-01'),
      dose(4, 'SPIKEVAX', '2022-06-20'),
      dose(2, 'VERO_CELL', '2021-09-01'),
    ]);
    expect(status).toEqual({
      doses: 4, lastDoseOn: '2022-06-20', lastVaccine: 'SPIKEVAX', fullyVaccinated: true, primarySeriesCompletedOn: '2021-09-01', boosterDoses: 2,
    });
  });

  it('needs three doses when the series started on Abdala, even if a 2-dose product followed', () => {
    const two = [dose(1, 'ABDALA', '2021-10-01'), dose(2, 'COMIRNATY', '2021-10-15')];
    expect(vaccinationStatus(two)).toMatchObject({ doses: 2, fullyVaccinated: false, primarySeriesCompletedOn: null, boosterDoses: 0 });
    const three = [...two, dose(3, 'ABDALA', '2021-10-29')];
    expect(vaccinationStatus(three)).toEqual({
      doses: 3, lastDoseOn: '2021-10-29', lastVaccine: 'ABDALA', fullyVaccinated: true, primarySeriesCompletedOn: '2021-10-29', boosterDoses: 0,
    });
  });

  it('completes a single-dose product with its first dose', () => {
    const catalogue = { ...VACCINES, COVAXIN: { ...VACCINES.COVAXIN, primarySeriesDoses: 1 } };
    const status = vaccinationStatus([dose(1, 'COVAXIN', '2021-12-01'), dose(2, 'COMIRNATY', '2022-03-01')], catalogue);
    expect(status).toMatchObject({ fullyVaccinated: true, primarySeriesCompletedOn: '2021-12-01', boosterDoses: 1 });
  });

  it('orders doses of the same day by dose number', () => {
    const status = vaccinationStatus([dose(2, 'SPIKEVAX', '2021-09-01'), dose(1, 'VAXZEVRIA', '2021-09-01')]);
    expect(status).toMatchObject({ lastVaccine: 'SPIKEVAX', fullyVaccinated: true, primarySeriesCompletedOn: '2021-09-01' });
  });
});

describe('VACCINES', () => {
  it('lists the eight products with their primary series lengths', () => {
    expect(Object.fromEntries(Object.entries(VACCINES).map(([k, v]) => [k, v.primarySeriesDoses]))).toEqual({
      COMIRNATY: 2, VAXZEVRIA: 2, SPIKEVAX: 2, VERO_CELL: 2, SPUTNIK_V: 2, ABDALA: 3, HAYAT_VAX: 2, COVAXIN: 2,
    });
  });

  it('holds exactly the values of the SDL enum VaccineProduct', () => {
    const enumType = subgraphTypeDefs('vaccination').definitions.find(
      (d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'VaccineProduct',
    );
    expect(enumType?.values?.map((v) => v.name.value)).toEqual(VACCINE_PRODUCTS);
  });
});
