import { foldWords } from './text';

/**
 * Canonical categories with Polish / English / German synonyms. Synonyms are folded word stems
 * matched at word starts, so "zabawk" covers "zabawki" and "zabawka".
 */
export const CATEGORY_SYNONYMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['electronics', ['electronic', 'elektronik', 'consumer electronics', 'rtv', 'audio', 'video', 'tv', 'televis', 'telewizor', 'fernseher', 'headphone', 'sluchawk', 'kopfhorer', 'camera', 'kamera', 'aparat', 'fotograf', 'gaming', 'konsol', 'console', 'video games', 'gry wideo', 'unterhaltungselektronik', 'hifi', 'speaker', 'glosnik', 'lautsprecher', 'smart home', 'wearable']],
  ['computers', ['computer', 'komputer', 'laptop', 'notebook', 'pc', 'tablet', 'it', 'peripheral', 'akcesoria komputerowe', 'drukark', 'printer', 'drucker', 'monitor', 'networking', 'siec', 'netzwerk', 'office electronics']],
  ['phones', ['phone', 'mobile', 'smartphone', 'smartfon', 'telefon', 'gsm', 'handy', 'cell phone', 'wireless']],
  ['home_appliances', ['appliance', 'major appliances', 'large appliances', 'agd', 'duze agd', 'pralk', 'lodowk', 'fridge', 'refrigerator', 'dishwasher', 'zmywark', 'waschmaschine', 'kuhlschrank', 'haushaltsgerat', 'hausgerat', 'grossgerat']],
  ['small_appliances', ['small appliance', 'male agd', 'drobne agd', 'agd drobne', 'agd male', 'kitchen appliance', 'kleingerat', 'kleine haushaltsgerate', 'coffee machine', 'coffee maker', 'ekspres', 'kaffeemaschine', 'vacuum', 'odkurzacz', 'staubsauger', 'toaster', 'blender', 'mikser', 'czajnik', 'kettle', 'wasserkocher']],
  ['kitchen', ['kitchen', 'kuchni', 'kuchen', 'kuche', 'cookware', 'garnk', 'naczyni', 'geschirr', 'tableware', 'dining', 'kochen']],
  ['home', ['home', 'house', 'household', 'dom', 'wyposazenie', 'dekoracj', 'decor', 'wohnen', 'haushalt', 'heimtextil', 'bedding', 'posciel', 'textiles', 'tekstyli', 'bath', 'lazienk', 'bad', 'storage']],
  ['furniture', ['furniture', 'meble', 'mebli', 'mebel', 'mobel', 'sofa', 'chair', 'krzesl', 'stoly', 'stol', 'schrank']],
  ['garden', ['garden', 'ogrod', 'garten', 'outdoor', 'patio', 'lawn', 'grill', 'bbq']],
  ['tools', ['tool', 'narzedzi', 'werkzeug', 'elektronarzedzi', 'power tools', 'elektrowerkzeug', 'diy', 'majsterkow', 'baumarkt', 'home improvement', 'heimwerk', 'hardware', 'budowlan']],
  ['automotive', ['automotive', 'auto', 'car', 'motoryzac', 'samochod', 'kfz', 'autozubehor', 'moto', 'motorcycle', 'tire', 'tyre', 'opon', 'reifen']],
  ['toys', ['toy', 'zabawk', 'spielzeug', 'spielwaren', 'board game', 'gry planszowe', 'gra planszowa', 'puzzle', 'klocki']],
  ['baby', ['baby', 'niemowl', 'dzieci', 'dzieck', 'kinderwagen', 'wozki', 'wozek', 'pieluch', 'windeln', 'nursery']],
  ['fashion', ['fashion', 'clothing', 'clothes', 'apparel', 'odziez', 'ubrani', 'moda', 'bekleidung', 'mode', 'kleidung', 'handbag', 'torebk', 'taschen']],
  ['shoes', ['shoe', 'footwear', 'obuwie', 'buty', 'schuhe', 'sneaker']],
  ['jewellery', ['jewel', 'bizuteri', 'schmuck', 'watch', 'zegark', 'uhren']],
  ['beauty', ['beauty', 'cosmetic', 'kosmety', 'uroda', 'perfum', 'parfum', 'drogeri', 'kosmetik', 'personal care', 'pielegnac', 'korperpflege', 'hair care']],
  ['health', ['health', 'zdrowi', 'gesundheit', 'medical', 'medyczn', 'pharmacy', 'apteka', 'supplement', 'suplement', 'nahrungserganzung']],
  ['sports', ['sports outdoors', 'sport', 'fitness', 'rower', 'bicycle', 'bike', 'fahrrad', 'camping', 'turysty', 'freizeit']],
  ['books_media', ['book', 'ksiazk', 'bucher', 'buch', 'media', 'music', 'muzyk', 'musik', 'movie', 'film', 'dvd', 'cd', 'blu ray']],
  ['office', ['office', 'biur', 'papiernicz', 'stationery', 'buro', 'schreibwaren', 'school', 'szkoln']],
  ['pets', ['pet', 'zwierz', 'haustier', 'tierbedarf', 'dog', 'cat', 'psy', 'koty', 'hund', 'katze']],
  ['food', ['food', 'grocery', 'groceries', 'zywnosc', 'spozywcz', 'lebensmittel', 'beverage', 'napoj', 'getrank', 'drinks', 'snack', 'slodycz', 'gourmet']],
  ['lighting', ['lighting', 'light', 'lamp', 'lampy', 'oswietleni', 'beleuchtung', 'leuchte']],
  ['hazardous', ['hazmat', 'hazardous', 'dangerous goods', 'niebezpieczn', 'adr', 'gefahrgut', 'gefahrstoff', 'chemical', 'chemia', 'chemikalie', 'aerosol']],
  ['weapons', ['weapon', 'bron', 'waffe', 'firearm', 'ammunition', 'amunicj', 'munition', 'airsoft']],
  ['tobacco', ['tobacco', 'tyton', 'tabak', 'cigarette', 'papieros', 'zigarette', 'vape', 'e liquid']],
  ['adult', ['adult', 'erotic', 'erotyk', 'erotik', 'sex']],
  ['other', ['other', 'misc', 'inne', 'rozne', 'pozostale', 'sonstig', 'verschieden', 'general merchandise', 'mixed', 'mix']],
];

export const CATEGORY_KEYS: readonly string[] = CATEGORY_SYNONYMS.map(([key]) => key);

export interface CategoryResult {
  category: string;
  /** False when no synonym matched; the line falls back to `other` and gets an issue. */
  recognised: boolean;
}

interface Entry {
  key: string;
  re: RegExp;
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Short words must stand alone ("pc" is not "pcs case", "car" is not "care"); longer ones are stems.
function alternative(word: string): string {
  if (word.length <= 2) return `${escapeRe(word)}(?= |$)`;
  return word.length <= 4 ? `${escapeRe(word)}s?(?= |$)` : escapeRe(word);
}

/** A category matcher; `extra` adds the user's own synonyms (category key → words). */
export function createCategoryMatcher(extra: ReadonlyArray<{ category: string; synonyms: readonly string[] }> = []): (text: string) => CategoryResult {
  const merged = new Map<string, string[]>();
  for (const [key, words] of CATEGORY_SYNONYMS) merged.set(key, [foldWords(key.replace(/_/g, ' ')), ...words]);
  for (const { category, synonyms } of extra) {
    const key = foldWords(category).replace(/ /g, '_');
    if (key === '') continue;
    const list = merged.get(key) ?? [];
    list.push(foldWords(key.replace(/_/g, ' ')), ...synonyms.map(foldWords).filter((s) => s !== ''));
    merged.set(key, list);
  }
  const entries: Entry[] = [...merged].map(([key, words]) => ({
    key,
    // Longest alternatives first so "small appliance" wins over "appliance" at the same position.
    re: new RegExp(`(?:^| )(${[...new Set(words)].sort((a, b) => b.length - a.length).map(alternative).join('|')})`),
  }));
  return (text: string) => {
    const segments = text.split(/\s*(?:>|\/|\||\\|»|;|:| - )\s*/).map(foldWords).filter((s) => s !== '');
    // The most specific segment of a path ("Electronics > Phones") decides first.
    for (let i = segments.length - 1; i >= 0; i--) {
      const segment = segments[i] ?? '';
      let best: { key: string; at: number; len: number } | null = null;
      for (const entry of entries) {
        const m = entry.re.exec(segment);
        if (!m || m[1] === undefined) continue;
        const at = m.index + (m[0].length - m[1].length);
        // The earliest mention names the category ("Sports & Outdoors" is sports, "Home & Kitchen" home).
        if (best === null || at < best.at || (at === best.at && m[1].length > best.len)) best = { key: entry.key, at, len: m[1].length };
      }
      if (best) return { category: best.key, recognised: true };
    }
    return { category: 'other', recognised: false };
  };
}
