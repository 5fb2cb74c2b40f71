/**
 * The form in which names are compared: NFC-insensitive, lower case, tone marks removed,
 * single spaces. Đ/đ do not decompose in Unicode, so they are mapped by hand.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
