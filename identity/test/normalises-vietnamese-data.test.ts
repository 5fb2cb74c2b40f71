import {
  parseBirthDate, parseCitizenId, parseInsuranceCode, parseOldId, parsePhone, parsePersonName, plainKey, toneKey,
  nameForms, defaultModel, normaliseRecord, parseModel,
} from '../src/index';

describe('Vietnamese text forms', () => {
  it('gives one tone key for both tone-mark placements and both Unicode forms', () => {
    expect(toneKey('Hoà')).toBe(toneKey('Hòa'));
    expect(toneKey('Thuỷ')).toBe(toneKey('Thủy'));
    expect(toneKey('Khoẻ')).toBe(toneKey('Khỏe'));
    expect(toneKey('Nguyễn'.normalize('NFD'))).toBe(toneKey('Nguyễn'.normalize('NFC')));
    // Different tones stay different: Hòa (huyền) is not Hóa (sắc).
    expect(toneKey('Hòa')).not.toBe(toneKey('Hóa'));
  });

  it('strips tone and vowel marks, including đ/Đ and ỷ/ỹ/ỵ, ignoring case and spacing', () => {
    expect(plainKey('  ĐẶNG   Thị  Đào ')).toBe('dang thi dao');
    expect(plainKey('Hoàng Thị Mỹ Kỳ Vỵ Sỷ')).toBe('hoang thi my ky vy sy');
    expect(plainKey('Nguyễn'.normalize('NFD'))).toBe('nguyen');
  });

  it('maps regional spellings of one surname to one class and knows the optional middle names', () => {
    const rules = defaultModel().nameRules;
    const huynh = nameForms(parsePersonName('n', 'Huỳnh Văn Tài') as never, rules);
    const hoang = nameForms(parsePersonName('n', 'Hoàng Tài') as never, rules);
    expect(huynh.familyClass).toBe(hoang.familyClass);
    expect(huynh.restCore).toBe(hoang.restCore);
    const vo = nameForms(parsePersonName('n', 'Võ Thị Lan') as never, rules);
    const vu = nameForms(parsePersonName('n', 'Vũ Thị Lan') as never, rules);
    expect(vo.familyClass).toBe(vu.familyClass);
  });
});

describe('phone numbers', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['+84 912.345.678', '0912345678'],
    ['84912345678', '0912345678'],
    ['(+84) 0912-345-678', '0912345678'],
    ['01626123456', '0326123456'],
    ['+84 1626 123 456', '0326123456'],
    ['0120 111 2222', '0701112222'],
    ['01991234567', '0591234567'],
  ])('reads %s as %s', (input, expected) => {
    expect(parsePhone('phone', input)).toBe(expected);
  });

  it.each(['12345', '0212345678', 'abc', '0912345'])('refuses %s with a reason', (input) => {
    expect(parsePhone('phone', input)).toMatchObject({ field: 'phone', code: expect.stringMatching(/NOT_/) });
  });
});

describe('birth dates', () => {
  it('a name written again gives the same forms, each model its own and each choice of orders its own', () => {
    const model = defaultModel();
    const other = parseModel({ ...model, nameRules: { surnameEquivalents: [], optionalMiddleNames: [] } });
    const name = (m: typeof model, fullName: string, nameOrders = true) => {
      const n = normaliseRecord(m, { id: 'r', fullName }, { nameOrders });
      if (!n.ok) throw new Error(JSON.stringify(n.problems));
      return n.record.values.fullName as Extract<NonNullable<(typeof n.record.values)['fullName']>, { kind: 'personName' }>;
    };
    const first = name(model, 'Huỳnh Văn Tài');
    expect(name(model, 'Huỳnh Văn Tài')).toEqual(first);
    expect(first.orders[0]!.familyClass).toBe('hoang');
    expect(first.orders[0]!.restCore).toBe('tai');
    // Other name rules: no regional class, Văn not optional.
    expect(name(other, 'Huỳnh Văn Tài').orders[0]).toMatchObject({ familyClass: 'huynh', restCore: 'van tai' });
    expect(name(model, 'Huỳnh Văn Tài', false).orders).toHaveLength(1);
    expect(name(model, 'Huỳnh Văn Tài').orders).toHaveLength(3);
  });

  it('reads full, month-year and year-only dates in the forms sources use', () => {
    expect(parseBirthDate('d', '1990-05-12', 2026)).toEqual({ year: 1990, month: 5, day: 12 });
    expect(parseBirthDate('d', '12/05/1990', 2026)).toEqual({ year: 1990, month: 5, day: 12 });
    expect(parseBirthDate('d', '05/1990', 2026)).toEqual({ year: 1990, month: 5, day: null });
    expect(parseBirthDate('d', '1962', 2026)).toEqual({ year: 1962, month: null, day: null });
    expect(parseBirthDate('d', 1962, 2026)).toEqual({ year: 1962, month: null, day: null });
  });

  it('refuses impossible or out-of-range dates instead of guessing', () => {
    expect(parseBirthDate('d', '30/02/1990', 2026)).toMatchObject({ code: 'IMPOSSIBLE_DATE' });
    expect(parseBirthDate('d', '1991-02-29', 2026)).toMatchObject({ code: 'IMPOSSIBLE_DATE' });
    expect(parseBirthDate('d', '1992-02-29', 2026)).toEqual({ year: 1992, month: 2, day: 29 });
    expect(parseBirthDate('d', '1990-13-01', 2026)).toMatchObject({ code: 'IMPOSSIBLE_DATE' });
    expect(parseBirthDate('d', '1850', 2026)).toMatchObject({ code: 'DATE_OUT_OF_RANGE' });
    expect(parseBirthDate('d', '2031-01-01', 2026)).toMatchObject({ code: 'DATE_OUT_OF_RANGE' });
    expect(parseBirthDate('d', 'hôm qua', 2026)).toMatchObject({ code: 'UNREADABLE_DATE' });
  });
});

describe('identifiers', () => {
  it('reads sex, century and birth year from CCCD digits 4–6', () => {
    expect(parseCitizenId('id', '001090012345')).toEqual({ value: '001090012345', provinceCode: '01', sex: 'MALE', birthYear: 1990 });
    expect(parseCitizenId('id', '079 185 001 234')).toEqual({ value: '079185001234', provinceCode: '79', sex: 'FEMALE', birthYear: 1985 });
    expect(parseCitizenId('id', '048203001111')).toMatchObject({ sex: 'MALE', birthYear: 2003 });
    expect(parseCitizenId('id', '036305001111')).toMatchObject({ sex: 'FEMALE', birthYear: 2005 });
  });

  it('refuses IDs of the wrong length, province code or century digit', () => {
    expect(parseCitizenId('id', '00109001234')).toMatchObject({ code: 'WRONG_LENGTH' });
    expect(parseCitizenId('id', '099090012345')).toMatchObject({ code: 'UNKNOWN_PROVINCE' });
    expect(parseCitizenId('id', '101090012345')).toMatchObject({ code: 'UNKNOWN_PROVINCE' });
    expect(parseCitizenId('id', '001590012345')).toMatchObject({ code: 'BAD_CENTURY_DIGIT' });
    expect(parseCitizenId('id', '00109001234X')).toMatchObject({ code: 'NOT_DIGITS' });
    expect(parseOldId('cmnd', '12345678')).toMatchObject({ code: 'WRONG_LENGTH' });
    expect(parseOldId('cmnd', '012345678')).toBe('012345678');
  });

  it('takes the social insurance code alone or from the 15-character card number', () => {
    expect(parseInsuranceCode('bhyt', 'DN4790123456789')).toBe('0123456789');
    expect(parseInsuranceCode('bhyt', '0123456789')).toBe('0123456789');
    expect(parseInsuranceCode('bhyt', 'DN479012345')).toMatchObject({ code: 'WRONG_LENGTH' });
  });
});
