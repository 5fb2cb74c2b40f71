/**
 * Text forms for comparing Vietnamese: `plainKey` drops tone marks and vowel marks
 * (hòa, hoà, HOA → hoa), `toneKey` keeps them but is independent of where the tone mark was
 * placed (old style "hoà" and new style "hòa" give the same key) and of NFC/NFD.
 */

// The five tone marks as combining characters (after NFD): grave, acute, tilde, hook above, dot below.
const TONE_MARKS: Readonly<Record<string, string>> = { '\u0300': '2', '\u0301': '1', '\u0303': '4', '\u0309': '3', '\u0323': '5' };
const COMBINING = /[\u0300-\u036f]/g;

/** NFC, single spaces, trimmed. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Lower case, every mark removed, single spaces. Đ/đ are letters of their own in Unicode
 * (they do not decompose), so they are mapped by hand.
 */
export function plainKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/**
 * Lower case with vowel marks kept and each syllable's tone moved to a digit at its end
 * ("Hoà" and "Hòa" → "hoa2"; "Thuỷ", "Thủy" → "thuy3"). Two spellings that differ only in
 * where the tone mark sits, or in Unicode normal form, give one key.
 */
export function toneKey(text: string): string {
  return cleanText(text)
    .toLowerCase()
    .split(' ')
    .map((syllable) => {
      let tone = '';
      const bare = syllable.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, (mark) => {
        tone = TONE_MARKS[mark]!;
        return '';
      });
      return bare.normalize('NFC') + tone;
    })
    .join(' ');
}

/** Whether the text has at least one letter (of any script). */
export function hasLetter(text: string): boolean {
  return /\p{L}/u.test(text);
}
