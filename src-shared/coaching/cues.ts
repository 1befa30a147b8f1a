import type { CoachLanguage } from './keys';

/**
 * Language-level cues (not domain-level: the domain lives in the knowledge pack). They are phrases,
 * folded and stemmed at use, matched as contiguous token sequences.
 */

/** A clause that states acceptance ("the price is fine") is not an objection even if it names a topic. */
export const ACCEPTANCE: Record<CoachLanguage, readonly string[]> = {
  en: [
    'no problem', 'not a problem', 'not an issue', 'no issue', 'is fine', 'are fine', 'is ok', 'is okay', 'are ok', 'sounds good', 'sounds fair', 'sounds reasonable',
    'fair enough', 'works for me', 'is reasonable', 'seems reasonable', 'seems fair', 'is fair', 'not worried about', "don't mind", 'do not mind', 'not a concern', 'no concern',
    'happy with the', 'fine with', 'ok with', 'okay with', 'is not an issue', "isn't an issue", "isn't a problem", 'is great', 'love the',
  ],
  pl: [
    'nie problem', 'mi odpowiada', 'nam odpowiada', 'nie jest problemem', 'nie ma problemu', 'bez problemu', 'w porządku', 'jest ok', 'jest okej', 'odpowiada mi', 'odpowiada nam', 'pasuje mi', 'pasuje nam',
    'rozsądna', 'rozsądny', 'rozsądne', 'uczciwa', 'uczciwe', 'nie przeszkadza', 'może być', 'nie martwi', 'nie martwię', 'jest dobra', 'jest dobre', 'jest dobry', 'akceptowalna', 'akceptowalny',
    'jest świetna', 'jest świetne', 'jest świetny', 'nie boję',
  ],
};

/** Words that split a message into clauses: an objection usually sits on one side of "but". */
export const CLAUSE_SPLIT = /(?<=[.!?;…])\s+|\n+|,?\s+(?:but|however|although|though|yet|ale|lecz|jednak|tyle że|tylko że|choć|chociaż)\s+/iu;

export const BUYING_SIGNALS: Record<CoachLanguage, readonly string[]> = {
  en: ['when can i', 'how soon', 'delivery', 'where do i sign', 'reserve', 'reservation', 'order', 'in stock', 'available', 'sounds good', 'i like', 'we like', "let's do", 'let us do', 'ready to', 'next step', 'book', 'colour options', 'color options', 'what colours', 'what colors'],
  pl: ['kiedy mogę', 'kiedy odbiór', 'jak szybko', 'dostawa', 'dostawy', 'odbiór', 'gdzie podpisać', 'rezerwacja', 'zarezerwować', 'zamówić', 'zamówienie', 'od ręki', 'dostępny', 'dostępne', 'brzmi dobrze', 'podoba mi się', 'podoba nam się', 'bierzemy', 'biorę', 'następny krok', 'jakie kolory', 'umówić'],
};

export const SENTIMENT_WORDS: Record<CoachLanguage, { positive: readonly string[]; negative: readonly string[] }> = {
  en: {
    positive: ['great', 'good', 'love', 'like', 'nice', 'excellent', 'amazing', 'perfect', 'happy', 'excited', 'interesting', 'wow', 'awesome', 'fantastic', 'impressive', 'thanks'],
    negative: ['bad', 'expensive', 'problem', 'worried', 'worry', 'afraid', 'doubt', 'hate', 'terrible', 'annoying', 'disappointed', 'no', 'not', 'never', 'unfortunately', 'concern', 'risk', 'scam'],
  },
  pl: {
    positive: ['super', 'świetny', 'świetnie', 'dobry', 'dobrze', 'podoba', 'fajny', 'fajnie', 'ładny', 'piękny', 'idealny', 'zadowolony', 'ciekawy', 'ciekawe', 'wow', 'rewelacja', 'dziękuję'],
    negative: ['zły', 'źle', 'drogo', 'drogi', 'problem', 'martwię', 'obawiam', 'boję', 'wątpię', 'nie', 'nigdy', 'niestety', 'słaby', 'rozczarowany', 'ryzyko', 'ściema', 'kiepski'],
  },
};

/** Clauses stating what the client wants (the fallback's "needs"). */
export const NEED_STATEMENTS: Record<CoachLanguage, readonly string[]> = {
  en: ['i need', 'we need', 'looking for', 'i want', 'we want', 'must have', 'has to have', 'important to me', 'important for me', 'important to us', 'i would like', "i'd like", 'we would like'],
  pl: ['potrzebuję', 'potrzebujemy', 'szukam', 'szukamy', 'chcę', 'chcemy', 'chciałbym', 'chciałabym', 'chcielibyśmy', 'zależy mi', 'zależy nam', 'ważne', 'musi mieć'],
};
