import { cardNumberProblem, vietnamDate } from '../src';

describe('card numbers and local days', () => {
  it('takes the day in Việt Nam (UTC+7), not in UTC', () => {
    expect(vietnamDate(new Date('2021-08-01T16:59:59.999Z'))).toBe('2021-08-01');
    expect(vietnamDate(new Date('2021-08-01T17:00:00.000Z'))).toBe('2021-08-02');
    expect(vietnamDate(new Date('2021-12-31T18:00:00.000Z'))).toBe('2022-01-01');
  });

  it('names what is wrong with a card number', () => {
    expect(cardNumberProblem('DN4790123456789')).toBeNull();
    expect(cardNumberProblem('DN47901234567')).toMatch(/15 characters/);
    expect(cardNumberProblem('dn4790123456789')).toMatch(/beneficiary group/);
    expect(cardNumberProblem('DN0790123456789')).toMatch(/benefit level/);
    expect(cardNumberProblem('DN47901234567X9')).toMatch(/10-digit social insurance code/);
  });
});
