import { describe, expect, it } from 'vitest';
import {
  ValueProblem,
  excelSerialToDate,
  municipalityResolver,
  parseAgb,
  parseAmount,
  parseBsn,
  parseDate,
  parseDebitCredit,
  parseProduct,
  parseUnit,
  parseWholeNumber,
} from './convert.js';

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueProblem);
    return (e as Error).message;
  }
  throw new Error('expected a ValueProblem');
};

describe('dates', () => {
  it('reads dd-mm-jjjj with -, / or . and one-digit days and months', () => {
    expect(parseDate('31-01-2025', 'dd-mm-jjjj')).toBe('2025-01-31');
    expect(parseDate('1/2/2025', 'dd-mm-jjjj')).toBe('2025-02-01');
    expect(parseDate('29.02.2024', 'dd-mm-jjjj')).toBe('2024-02-29');
    expect(parseDate('15-03-2025 00:00', 'dd-mm-jjjj')).toBe('2025-03-15');
  });
  it('reads jjjj-mm-dd, with an optional time', () => {
    expect(parseDate('2025-01-31', 'jjjj-mm-dd')).toBe('2025-01-31');
    expect(parseDate('2025-1-5 00:00:00', 'jjjj-mm-dd')).toBe('2025-01-05');
  });
  it('refuses dates that do not exist or are in another format, in Dutch', () => {
    expect(problem(() => parseDate('29-02-2025', 'dd-mm-jjjj'))).toBe("'29-02-2025' is geen bestaande datum");
    expect(problem(() => parseDate('2025-01-31', 'dd-mm-jjjj'))).toBe("'2025-01-31' is geen datum (dd-mm-jjjj)");
    expect(problem(() => parseDate('', 'jjjj-mm-dd'))).toBe('is leeg (een datum verwacht)');
  });
  it('reads Excel serials (1900 date system, with its leap-year bug), as numbers or text', () => {
    // Known values of the 1900 system: 1 = 1900-01-01, 59 = 1900-02-28, 61 = 1900-03-01,
    // 43831 = 2020-01-01, 45658 = 2025-01-01, 2958465 = 9999-12-31.
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(43831)).toBe('2020-01-01');
    expect(parseDate(45658, 'excel')).toBe('2025-01-01');
    expect(parseDate(45658.75, 'excel')).toBe('2025-01-01');
    expect(parseDate('45688', 'excel')).toBe('2025-01-31');
    expect(excelSerialToDate(2958465)).toBe('9999-12-31');
    expect(problem(() => excelSerialToDate(60))).toMatch(/29-02-1900/);
    expect(problem(() => parseDate('31-01-2025', 'excel'))).toMatch(/geen Excel-datum/);
  });
  it('takes a cell that is already a date', () => {
    expect(parseDate(new Date(Date.UTC(2025, 4, 6)), 'dd-mm-jjjj')).toBe('2025-05-06');
  });
});

describe('amounts to cents, without floating point', () => {
  it('reads a decimal comma with point or space thousands', () => {
    expect(parseAmount('1.234,56', ',')).toBe(123456);
    expect(parseAmount('1 234 567,89', ',')).toBe(123456789);
    expect(parseAmount('€ 12,5', ',')).toBe(1250);
    expect(parseAmount('0,07', ',')).toBe(7);
    expect(parseAmount('12', ',')).toBe(1200);
    expect(parseAmount('1.234', ',')).toBe(123400);
  });
  it('reads a decimal point with comma thousands', () => {
    expect(parseAmount('1,234.56', '.')).toBe(123456);
    expect(parseAmount('12.50', '.')).toBe(1250);
    expect(parseAmount('EUR 3.1', '.')).toBe(310);
  });
  it('reads signs before, after and as parentheses', () => {
    expect(parseAmount('-12,50', ',')).toBe(-1250);
    expect(parseAmount('12,50-', ',')).toBe(-1250);
    expect(parseAmount('(12,50)', ',')).toBe(-1250);
    expect(parseAmount('€ -1.000,00', ',')).toBe(-100000);
    expect(parseAmount('-0,00', ',')).toBe(0);
  });
  it('reads XLSX number cells through their decimal text, whatever the text separator', () => {
    // 0.1 + 0.2 is 0.30000000000000004 as a double: more than two decimals, so refused rather than rounded.
    expect(parseAmount(1234.56, ',')).toBe(123456);
    expect(parseAmount(0.07, ',')).toBe(7);
    expect(parseAmount(-85, ',')).toBe(-8500);
    expect(problem(() => parseAmount(0.1 + 0.2, ','))).toMatch(/meer dan twee decimalen/);
  });
  it('refuses what is not an amount, naming it in Dutch', () => {
    expect(problem(() => parseAmount('twaalf', ','))).toBe("'twaalf' is geen bedrag");
    expect(problem(() => parseAmount('12.50', ','))).toBe("'12.50' is geen bedrag");
    expect(problem(() => parseAmount('1.23,45', ','))).toBe("'1.23,45' is geen bedrag");
    expect(problem(() => parseAmount('12,345', ','))).toBe("'12,345' heeft meer dan twee decimalen");
    expect(parseAmount('12,500', ',')).toBe(1250);
    expect(problem(() => parseAmount('', ','))).toBe('is leeg (een bedrag verwacht)');
    expect(problem(() => parseAmount('1e5', '.'))).toBe("'1e5' is geen bedrag");
  });
  it('is exact on amounts a double cannot hold as cents', () => {
    // 90071992547409.93 euro = 9007199254740993 cents > 2^53: refused as too large, never rounded.
    expect(problem(() => parseAmount('90.071.992.547.409,93', ','))).toMatch(/groter dan Grip aankan/);
    expect(parseAmount('9.999.999.999.999,99', ',')).toBe(999999999999999);
  });
});

describe('municipalities from the region list', () => {
  const region = [
    { code: '0482', name: 'Alblasserdam' },
    { code: '0531', name: 'Hendrik-Ido-Ambacht' },
    { code: '1963', name: 'Hoeksche Waard' },
  ];
  const resolve = municipalityResolver(region);
  it('by name (case, accents, "Gemeente" and hyphens ignored), CBS code or GM code', () => {
    expect(resolve('Gemeente Hendrik Ido Ambacht', 'naam')).toBe('0531');
    expect(resolve('hoeksche waard', 'naam')).toBe('1963');
    expect(resolve('482', 'cbs')).toBe('0482');
    expect(resolve('0482', 'cbs')).toBe('0482');
    expect(resolve(482, 'cbs')).toBe('0482');
    expect(resolve('GM1963', 'gm')).toBe('1963');
  });
  it('refuses a municipality outside the region, even one in the CBS list', () => {
    expect(problem(() => resolve('Utrecht', 'naam'))).toBe("'Utrecht' is geen gemeente van de regio");
    expect(problem(() => resolve('0344', 'cbs'))).toBe("'0344' is geen gemeente van de regio");
    expect(problem(() => resolve('0482', 'gm'))).toBe("'0482' is geen GM-code (GM0482)");
  });
});

describe('product codes', () => {
  it('with their category, or within a given category', () => {
    expect(parseProduct('45A03', null, true)).toEqual({ category: '45', productCode: '45A03' });
    expect(parseProduct('45-a03', '45', true)).toEqual({ category: '45', productCode: '45A03' });
    expect(parseProduct('A03', '45', false)).toEqual({ category: '45', productCode: '45A03' });
    expect(parseProduct('', '43', false)).toEqual({ category: '43', productCode: null });
  });
  it('refuses a code whose category disagrees or is unknown', () => {
    expect(problem(() => parseProduct('45A03', '43', true))).toBe("'45A03' hoort bij categorie 45, niet bij 43");
    expect(problem(() => parseProduct('99A03', null, true))).toBe("'99A03': categorie 99 staat niet in JZ020");
    expect(problem(() => parseProduct('45A03', '45', false))).toMatch(/zonder categorie/);
  });
});

describe('other values', () => {
  it('units by code or name', () => {
    expect(parseUnit('4')).toBe('04');
    expect(parseUnit('Etmaal')).toBe('14');
    expect(problem(() => parseUnit('week'))).toBe("'week' is geen eenheid (WJ756)");
  });
  it('whole volumes only', () => {
    expect(parseWholeNumber('4', 99)).toBe(4);
    expect(parseWholeNumber('4,00', 99)).toBe(4);
    expect(problem(() => parseWholeNumber('1,5', 99))).toBe("'1,5' is geen geheel aantal");
    expect(problem(() => parseWholeNumber('100', 99))).toMatch(/meer dan/);
  });
  it('AGB codes keep their leading zeros', () => {
    expect(parseAgb(1234567)).toBe('01234567');
    expect(problem(() => parseAgb('AGB123'))).toMatch(/geen AGB-code/);
  });
  it('debit and credit words', () => {
    expect(parseDebitCredit('credit', ['D', 'Debet'], ['C', 'Credit'])).toBe('C');
    expect(parseDebitCredit('D', ['D', 'Debet'], ['C', 'Credit'])).toBe('D');
    expect(problem(() => parseDebitCredit('X', ['D'], ['C']))).toBe("'X' is geen debet of credit (D, C)");
  });
  it('a BSN passes the 11-proef and is masked in the message', () => {
    // 123456782: 9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8−1·2 = 154 = 14·11.
    expect(parseBsn('123456782')).toBe('123456782');
    expect(parseBsn('1234.56.782')).toBe('123456782');
    expect(problem(() => parseBsn('123456789'))).toBe("'*******89' is geen geldig BSN (11-proef)");
  });
});
