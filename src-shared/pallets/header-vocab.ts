import type { CanonicalField } from './fields';
import { detectCurrency } from './numbers';
import { foldWords } from './text';

/** One way a header can name a field. `total`: the column holds line totals (qty × unit), not unit values. */
interface HeaderRule {
  field: CanonicalField;
  re: RegExp;
  /** A second pattern the header must also contain ("eBay" and a price word). */
  also?: RegExp;
  confidence: number;
  total?: boolean;
  note?: string;
}

const words = (alternatives: string): RegExp => new RegExp(`(?:^| )(?:${alternatives})(?: |$)`);
const whole = (alternatives: string): RegExp => new RegExp(`^(?:${alternatives})$`);
const MONEY_WORDS_RE = words('price|prices|cena|ceny|preis|wert|value|retail|msrp|rrp|uvp|sold|selling');

// Headers are folded first (lower case, no diacritics, punctuation → space): "Ilość" → "ilosc",
// "Ext. Retail" → "ext retail", "EAN-13" → "ean 13", "Netto-Preis" → "netto preis".
const RULES: readonly HeaderRule[] = [
  { field: 'name', re: words('nazwa|nazwa produktu|nazwa towaru|nazwa artykulu|product name|item name|name|produktname|artikelname|bezeichnung|artikelbezeichnung|produktbezeichnung|title|titel|tytul|item title|product title|nazev|nazev zbozi|nazev produktu|nazev polozky|nazov|nazov produktu|nazov tovaru|nazov polozky'), confidence: 0.95 },
  { field: 'name', re: words('item description|product description|item desc|artikelbeschreibung|opis towaru'), confidence: 0.9 },
  { field: 'name', re: words('produkt|product|artikel|towar|item|artykul|model name'), confidence: 0.6 },
  { field: 'name', re: words('description|opis|beschreibung|popis|popis zbozi|popis produktu|popis tovaru'), confidence: 0.5, note: 'a description column used as the name' },
  { field: 'description', re: words('description|opis|beschreibung|popis|popis zbozi|popis produktu|popis tovaru|opis produktu|produktbeschreibung|long description|details|szczegoly|langtext'), confidence: 0.8 },
  { field: 'description', re: words('uwagi|notes|note|bemerkung|bemerkungen|comments|comment|komentarz'), confidence: 0.4 },
  { field: 'category', re: words('kategoria|category|kategorie|categories|product category|warengruppe|grupa towarowa|dzial|department|dept|kategoria produktu|produktkategorie|gl description|gl desc|gl product group|seller category|kategoria|kategorie zbozi|kategoria tovaru'), confidence: 0.95 },
  { field: 'category', re: words('subcategory|sub category|podkategoria|unterkategorie|product type|typ produktu|produktart|produkttyp|segment|group|grupa|gl|product group|rodzaj|sparte|skupina|podkategorie|podkategoria'), confidence: 0.6 },
  { field: 'brand', re: words('marka|brand|marke|hersteller|producent|manufacturer|brand name|markenname|make|wytworca|znacka|vyrobce|vyrobca'), confidence: 0.95 },
  // "Mfg" alone is the maker; "Mfg Part #" is the maker's part number (a code).
  { field: 'brand', re: whole('mfr|mfg|mfr name|mfg name'), confidence: 0.95 },
  { field: 'brand', re: words('vendor|dostawca|lieferant|supplier'), confidence: 0.45 },
  { field: 'ean', re: words('ean|ean 13|ean13|ean 8|ean8|gtin|gtin 13|gtin 14|gtin13|gtin14|upc|upc a|barcode|bar code|kod kreskowy|kod ean|ean code|strichcode|ean nr|ean number|numer ean|ean kod|ean upc|carovy kod|ciarovy kod'), confidence: 0.95 },
  { field: 'asin', re: words('asin|amazon asin'), confidence: 0.97 },
  { field: 'fc_sku', re: words('fnsku|fn sku|fc sku|fcsku|fulfillment sku|fulfilment sku'), confidence: 0.97 },
  { field: 'sku', re: words('sku|seller sku|msku|merchant sku|item number|item no|item nr|item id|article number|article no|art nr|artnr|art no|artikelnummer|artikel nr|artikelnr|indeks|index|symbol|kod produktu|kod towaru|nr katalogowy|numer katalogowy|part number|part no|mpn|product code|product id|id produktu|catalog number|katalognummer|model number|modellnummer|herstellernummer|numer produktu|produktnummer|kod|kod zbozi|kod produktu|kod tovaru|katalogove cislo|katalogove cislo|objednaci cislo|cislo zbozi|cislo produktu|interni kod|mfg part|mfr part|mfg part number|mfr part number|manufacturer part number|mfg part no'), confidence: 0.9 },
  { field: 'sku', re: words('model|modell|referenz|reference|ref'), confidence: 0.6 },
  { field: 'quantity', re: words('ilosc|ilosc szt|qty|quantity|menge|units|unit qty|pcs|szt|sztuk|ilosc sztuk|anzahl|stk|stuck|stueck|count|liczba|liczba sztuk|quantity shipped|shipped qty|ordered qty|total units|item qty|qty ordered|stan magazynowy|bestand|stock|on hand|available|verfugbar|stuckzahl|menge stk|pocet|pocet kusu|pocet kusov|pocet ks|ks|kusy|kusu|mnozstvi|mnozstvo'), confidence: 0.92 },
  { field: 'unit', re: whole('jm|j m|jednostka|jednostka miary|einheit|mengeneinheit|me|uom|unit of measure|unit|jedn'), confidence: 0.85 },
  { field: 'price_net', re: words('cena netto|netto|net|net price|price net|cena jedn netto|cena jednostkowa netto|netto preis|nettopreis|preis netto|ek netto|unit cost|cost|cost price|koszt|cena zakupu|zakup|einkaufspreis|ek|ek preis|wholesale|wholesale price|purchase price|your price|offer price|cena hurtowa|stuckpreis netto|unit price net|net unit price|cost per unit|your cost|nakupni cena|nakupna cena|cena bez dph|nakup'), confidence: 0.9 },
  { field: 'price_net', re: words('wartosc netto|total cost|ext cost|extended cost|total net|netto gesamt|gesamt netto|summe netto|net total|line total net|cost total|koszt calkowity|gesamtpreis netto|wartosc zakupu'), confidence: 0.85, total: true },
  { field: 'price_net', re: words('cena|price|preis|unit price|cena jednostkowa|stuckpreis|einzelpreis|cena jedn|kwota'), confidence: 0.6, note: 'a price without net/gross, assumed net' },
  { field: 'price_gross', re: words('cena brutto|brutto|gross|gross price|price gross|bruttopreis|brutto preis|preis brutto|inkl mwst|incl vat|including vat|with vat|z vat|cena z vat|cena jednostkowa brutto|vk brutto|unit price gross|cena s dph|s dph'), confidence: 0.92 },
  { field: 'price_gross', re: words('wartosc brutto|total gross|brutto gesamt|gesamt brutto|summe brutto|gross total|gesamtpreis brutto'), confidence: 0.85, total: true },
  // A marketplace's selling price (eBay/Allegro/Amazon average or median) is a resale hint, not the cost.
  { field: 'market_price', re: words('market price|marktpreis|cena rynkowa|avg selling price|average selling price|avg sold price|average sold price|avg sold|average sold|sold price|median price|median selling price|median sold price|asp'), confidence: 0.95 },
  { field: 'market_price', re: words('ebay|allegro|amazon|marketplace|srednia cena|median|mediana|durchschnittspreis|prumerna cena'), also: MONEY_WORDS_RE, confidence: 0.94 },
  { field: 'retail_price', re: words('unit retail|retail|retail price|msrp|rrp|srp|uvp|list price|listenpreis|cena detaliczna|cena katalogowa|cena rynkowa|cena sugerowana|sugerowana cena|orig retail|original retail|retail per unit|retail value per unit|verkaufspreis|vk|vk preis|ladenpreis|empfohlener verkaufspreis|unverbindliche preisempfehlung|cena sklepowa|cena regularna|regular price|compare at|moc|moc s dph|moc cena|dmoc|maloobchodni cena|doporucena cena|doporucena maloobchodni cena|prodejni cena|maloobchodna cena|odporucana cena|mop|predajna cena'), confidence: 0.93 },
  { field: 'retail_price', re: words('ext retail|extended retail|total retail|retail total|total retail value|ext msrp|total msrp|uvp gesamt|gesamt uvp|wartosc detaliczna|wartosc rynkowa|wartosc katalogowa|retail value|total value|gesamtwert|ext retail value|extended msrp|gesamt uvp|celkova hodnota|celkova cena|hodnota celkem|celkova moc|celkem moc|total rrp|ext rrp'), confidence: 0.88, total: true },
  { field: 'currency', re: words('waluta|currency|wahrung|curr|ccy|currency code|kod waluty|wahrungscode|mena'), confidence: 0.96 },
  { field: 'vat_rate', re: words('vat|stawka vat|vat rate|vat %|% vat|mwst|mwst satz|ust|ust satz|umsatzsteuer|tax rate|tax|podatek|stawka|steuersatz|vat stawka|dph|sazba dph|sadzba dph'), confidence: 0.85 },
  { field: 'condition', re: words('condition|zustand|grade|kondycja|stan produktu|stan towaru|stan techniczny|condition grade|item condition|produktzustand|qualitat|jakosc|klasa|klasse|cond|warehouse condition|return condition|stan wizualny|zustandsklasse|stav|stav zbozi|stav tovaru|stav produktu|kvalita'), confidence: 0.92 },
  { field: 'condition', re: words('stan'), confidence: 0.85 },
  { field: 'pallet_id', re: words('paleta|palette|pallet|pallet id|pallet number|pallet no|pallet nr|nr palety|numer palety|id palety|palettennummer|palettennr|paletten id|paletten nr|pallet lpn|palettes|cislo palety|c palety|id palety|paleta c'), confidence: 0.92 },
  // An LPN (licence plate number) is the label Amazon puts on every returned unit: a per-unit code, never
  // a pallet id (else every line is its own pallet).
  { field: 'code1', re: words('lpn|license plate|licence plate|license plate number|licence plate number|lpn number'), confidence: 0.93 },
  { field: 'pallet_id', re: words('lot|lot number|lot id|lot no|partia|numer partii|charge|auction id|load id'), confidence: 0.6 },
  { field: 'pack_id', re: words('karton|carton|box|box id|box number|paczka|package|pack|pack id|package id|case|case id|kiste|paket|paket id|karton nr|nr kartonu|numer kartonu|opakowanie|parcel|tracking|tracking number|collo|kolli|carton id'), confidence: 0.8 },
  { field: 'code1', re: words('code 1|code1|kod 1|kod1|nr 1|id 1|code a'), confidence: 0.9 },
  { field: 'code2', re: words('code 2|code2|kod 2|kod2|nr 2|id 2|code b'), confidence: 0.9 },
  { field: 'code1', re: words('code|nr|numer|id|nummer|referenz|identifier|kennung|identyfikator|other code|inny kod'), confidence: 0.45 },
  { field: 'code2', re: words('code|nr|numer|id|nummer|referenz|identifier|kennung|identyfikator|other code|inny kod'), confidence: 0.4 },
  { field: 'photo_url', re: words('zdjecie|zdjecia|foto|fotos|photo|photos|image|images|img|picture|bild|bilder|obrazek|image url|photo url|bild url|image link|main image|url zdjecia|zdjecie url|thumbnail|obrazek|obrazok|fotka|foto url|fotografie'), confidence: 0.93 },
  { field: 'link', re: words('link|url|www|product url|product link|produktlink|odnosnik|strona|website|page|listing|amazon link|link do produktu|link produktu|offer url|hyperlink|odkaz'), confidence: 0.85 },
];

// A header that talks about money is not a VAT-rate column even if it says "VAT" ("Cena z VAT").
const MONEY_WORDS = words('cena|price|preis|wartosc|value|kwota|amount|betrag|brutto|netto|gross|net|kosten|cost');

export interface HeaderCandidate {
  field: CanonicalField;
  confidence: number;
  total: boolean;
  note: string | null;
}

/** Every field a header could name, best confidence per field. A header equal to the phrase scores a bit higher. */
export function headerCandidates(header: string): HeaderCandidate[] {
  const f = headerWords(header);
  if (f === '' || LOT_LEVEL.test(f)) return [];
  const best = new Map<CanonicalField, HeaderCandidate>();
  const money = MONEY_WORDS.test(f);
  for (const rule of RULES) {
    const m = rule.re.exec(f);
    if (!m || (rule.also !== undefined && !rule.also.test(f))) continue;
    if (rule.field === 'vat_rate' && money) continue;
    const exact = m[0].trim() === f;
    const confidence = Math.min(0.99, rule.confidence + (exact ? 0.04 : 0));
    const prev = best.get(rule.field);
    const total = rule.total === true;
    // "Total Cost" also contains "cost": a matching total phrase decides that the column holds totals.
    if (!prev || (total && !prev.total) || (total === prev.total && prev.confidence < confidence)) {
      best.set(rule.field, { field: rule.field, confidence: Math.max(confidence, total && prev ? prev.confidence : 0), total, note: rule.note ?? null });
    }
  }
  return [...best.values()].sort((a, b) => b.confidence - a.confidence);
}

// Lot-level columns repeat one value on every line ("Lot Title", "Auction Name"): no line field.
const LOT_LEVEL = /^(?:lot|auction|listing|load|sale|aukce|aukcja) (?:title|name|description|desc|url|link|nazev|nazwa|tytul)$/;

const CURRENCY_CODES = 'pln|eur|euro|usd|gbp|chf|czk|kc|sek|nok|dkk|huf|ron|zl';
const CURRENCY_TOKEN = new RegExp(`(?:^| )(?:${CURRENCY_CODES})(?= |$)`, 'g');
// A currency code glued to a money word ("PreisEUR", "priceusd", "czkcena"): only money words are split,
// so "Couleur" or "Hersteller" keep their letters.
const GLUED = /(?:^| )(preis|price|cena|cost|retail|msrp|rrp|uvp|wert|value|total|betrag|amount|kwota|netto|brutto|net|gross|moc|vk|ek)(pln|eur|usd|gbp|chf|czk|huf)(?= |$)|(?:^| )(pln|eur|usd|gbp|chf|czk|huf)(preis|price|cena|cost|retail|msrp|rrp|uvp|wert|value|total)(?= |$)/g;

/** The folded header with glued currency codes split off and currency words dropped ("PreisEUR" → "preis"). */
export function headerWords(header: string): string {
  const f = foldWords(header);
  if (!/pln|eur|usd|gbp|chf|czk|kc|sek|nok|dkk|huf|ron|zl/.test(f)) return f;
  return f
    .replace(GLUED, (_m, a?: string, b?: string, c?: string, d?: string) => ` ${a ?? d ?? ''} ${b ?? c ?? ''}`)
    .replace(CURRENCY_TOKEN, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The currency a header names, glued or not: "PreisEUR", "Price (USD)", "Cena_CZK", "RRP £" (null: none). */
export function headerCurrency(header: string): string | null {
  const f = foldWords(header);
  GLUED.lastIndex = 0;
  const glued = GLUED.exec(f);
  GLUED.lastIndex = 0;
  const code = glued?.[2] ?? glued?.[3];
  if (code !== undefined) return code.toUpperCase();
  return detectCurrency(header);
}

/** True when a cell text looks like a column header of a manifest (used by header-row detection). */
export function looksLikeHeader(text: string): boolean {
  const c = headerCandidates(text);
  return c.length > 0 && (c[0]?.confidence ?? 0) >= 0.55;
}
