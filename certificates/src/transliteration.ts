/**
 * A name in the machine-readable form of ICAO Doc 9303 part 3, as the DCC's `fnt`/`gnt`
 * want it: upper case A-Z only, tone and other marks removed, Đ → D, and every space,
 * hyphen or other separator → `<`. Apostrophes are dropped (ICAO omits them).
 */
export function icaoTransliterate(name: string): string {
  return name
    .normalize('NFD')
    // Đ/đ do not decompose: they are letters of their own, written D in ICAO.
    .replace(/[Đđ]/g, 'D')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’`]/g, '')
    .replace(/[^A-Z]+/g, '<')
    .replace(/^<+|<+$/g, '')
    .slice(0, 80);
}
