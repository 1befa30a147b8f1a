import type { ConditionGrade } from './fields';
import { foldWords } from './text';

export interface ConditionResult {
  grade: ConditionGrade;
  /**
   * True when the word maps to a grade by convention rather than by name ("B-Ware", "used"), or when the
   * text names several grades ("Opened, broken") and the worst was taken.
   */
  guessed: boolean;
  /** False when nothing matched: the grade is `unknown` and the cell deserves an issue. */
  recognised: boolean;
}

type Pattern = readonly [RegExp, ConditionGrade, boolean];

const w = (words: string): RegExp => new RegExp(`(?:^| )(?:${words})(?: |$)`);

// Tried in order, each phrase found is taken out of the text before the next pattern looks, so specific
// phrases come before the words they contain ("like new" before "new", "damaged box" before "damaged",
// "used good" before "used").
const PATTERNS: readonly Pattern[] = [
  [w('damaged (?:box|packaging|package|carton)|box damaged|packaging damaged|uszkodzone opakowanie|uszkodzony karton|uszkodzone pudelko|beschadigte verpackung|verpackung beschadigt|poskozeny obal|poskozene baleni|poskodeny obal|poskodene balenie|carrier damaged box'), 'like_new', true],
  [w('salvage|scrap|for parts|parts only|spare parts|not working|non working|doa|na czesci|czesci|zlom|do utylizacji|utylizacja|niekompletny na czesci|ersatzteile|ersatzteil|fur bastler|bastlerware|schrott|nicht funktionsfahig|nicht funktionstuchtig|funktioniert nicht|nie dziala|niedzialajacy|niedzialajace|nefunkcni|nefunkcny|na dily|na nahradni dily|na diely'), 'salvage', false],
  [w('used like new|like new|as new|open box|opened|open package|mint|grade a|a grade|a ware|klasa a|jak nowy|jak nowe|jak nowa|powystawowy|powystawowe|powystawowa|otwarte opakowanie|wie neu|neuwertig|geoffnet|ausstellungsstuck|jako nove|jako novy|ako nove|ako novy|rozbalene|rozbaleny|rozbalena|rozbalene zbozi|vystavene|vystaveny'), 'like_new', false],
  [w('refurbished|refurb|renewed|remanufactured|recertified|reconditioned|odnowiony|odnowione|odnowiona|regenerowany|regenerowane|generalnie odnowiony|generaluberholt|aufbereitet|wiederaufbereitet|repasovane|repasovany|repasovana'), 'refurbished', false],
  [w('damaged|broken|defective|faulty|not functional|uszkodzony|uszkodzona|uszkodzone|uszkodzenie|niesprawny|niesprawne|niesprawna|zepsuty|zepsute|wadliwy|wadliwe|beschadigt|defekt|kaputt|grade d|d grade|klasa d|customer damaged|warehouse damaged|carrier damaged|distributor damaged|poskozeny|poskozene|poskozena|poskodeny|poskodene|poskodena|vadny|vadne|vadna|rozbity|rozbite'), 'damaged', false],
  [w('used very good|used good|very good|good|uzywany bardzo dobry|uzywany dobry|bardzo dobry|stan bardzo dobry|stan dobry|dobry|gebraucht sehr gut|gebraucht gut|sehr gut|gut|grade b|b grade|klasa b'), 'used_good', false],
  [w('b ware|2 wahl|zweite wahl|sellable'), 'used_good', true],
  [w('used acceptable|used fair|acceptable|fair|dostateczny|sredni|slady uzytkowania|gebraucht akzeptabel|akzeptabel|grade c|c grade|klasa c|c ware'), 'used_fair', false],
  [w('used|uzywany|uzywane|uzywana|gebraucht|second hand|pre owned|preowned|pouzite|pouzity|pouzita|pouzivane|pouzivany|bazar'), 'used_good', true],
  [w('brand new|new|nib|nwt|sealed|factory sealed|fabrycznie nowy|fabrycznie nowe|nowy|nowe|nowa|neu|neuware|originalverpackt|ovp|nove|novy|nova|nove zbozi|nove v originalnim baleni|novy tovar'), 'new', false],
  [w('customer returns?|returns?|returned|uninspected|untested|unchecked|zwrot|zwroty|zwrot konsumencki|nietestowany|nietestowane|niesprawdzony|retoure|retouren|rucklaufer|ungepruft|ungetestet|unknown|nieznany|unbekannt|vraceno|vraceno zakaznikem|vratka|vratky|vratene|vratene zakaznikom|netestovano|netestovane|nezname'), 'unknown', false],
];

const SINGLE_LETTER = new Map<string, ConditionGrade>([
  ['a', 'like_new'],
  ['b', 'used_good'],
  ['c', 'used_fair'],
  ['d', 'damaged'],
  ['n', 'new'],
]);

/** Condition grade from a Polish / English / German word or phrase ("Używany - dobry", "B-Ware", "Like New"). */
export function parseCondition(text: string): ConditionResult {
  const f = foldWords(text);
  if (f === '') return { grade: 'unknown', guessed: false, recognised: true };
  const letter = SINGLE_LETTER.get(f);
  if (letter !== undefined) return { grade: letter, guessed: true, recognised: true };
  let rest = f;
  let found: { grade: ConditionGrade; guessed: boolean } | null = null;
  let conflict = false;
  for (const [re, grade, guessed] of PATTERNS) {
    const m = re.exec(rest);
    if (!m) continue;
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    // "Return" says nothing about the state of the goods when another word does.
    if (grade === 'unknown' && found !== null) continue;
    if (found === null || found.grade === 'unknown') found = { grade, guessed };
    else if (grade !== found.grade) {
      // "Opened, broken", "Grade A - damaged": a buyer values the goods by their worst description.
      conflict = true;
      if (WORSE_FIRST.indexOf(grade) < WORSE_FIRST.indexOf(found.grade)) found = { grade, guessed };
    }
  }
  if (found === null) return { grade: 'unknown', guessed: false, recognised: false };
  return { grade: found.grade, guessed: found.guessed || conflict, recognised: true };
}

const WORSE_FIRST: readonly ConditionGrade[] = ['salvage', 'damaged', 'used_fair', 'used_good', 'refurbished', 'like_new', 'new', 'unknown'];
