import { Kind } from 'graphql';
import { citizenIdProblem, scalars } from '../src';

describe('contract scalars', () => {
  it('accepts well-formed citizen IDs and says what is wrong with others', () => {
    expect(citizenIdProblem('079187000001')).toBeNull();
    expect(citizenIdProblem('001300123456')).toBeNull();
    expect(citizenIdProblem('07918700000')).toMatch(/12 digits/);
    expect(citizenIdProblem('099187000001')).toMatch(/not a province code/);
    expect(citizenIdProblem('079587000001')).toMatch(/century\/sex digit/);
  });

  it('parses dates as real calendar days only', () => {
    expect(scalars.Date.parseValue('2021-02-28')).toBe('2021-02-28');
    expect(() => scalars.Date.parseValue('2021-02-29')).toThrow(/real calendar day/);
    expect(() => scalars.Date.parseLiteral({ kind: Kind.INT, value: '20210228' }, {})).toThrow(/as a string/);
  });

  it('reads DateTime with a zone and returns UTC', () => {
    expect(scalars.DateTime.serialize('2021-08-01T10:00:00+07:00')).toBe('2021-08-01T03:00:00.000Z');
    expect(() => scalars.DateTime.parseValue('2021-08-01 10:00')).toThrow(/ISO 8601/);
  });

  it('knows the 63 province codes', () => {
    expect(scalars.ProvinceCode.parseValue('79')).toBe('79');
    expect(() => scalars.ProvinceCode.parseValue('03')).toThrow(/63 official/);
  });
});
