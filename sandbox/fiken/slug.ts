// Company slugs as Fiken forms them: the name in lowercase ASCII with dashes
// ("Skogheim Interiør AS" → "skogheim-interior-as"), made unique with a numeric suffix.

const LETTERS: Record<string, string> = { æ: 'ae', ø: 'o', å: 'a', ß: 'ss' };

export function slugOf(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[æøåß]/g, (c) => LETTERS[c]!)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'company';
}

/** Slugs for `names` in order; a repeated slug gets `-2`, `-3`, … */
export function uniqueSlugs(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = slugOf(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  });
}
