import type { KnowledgeFacts } from '@shared/coaching/facts';
import type { CoachLanguage, ObjectionCategory } from '@shared/coaching/keys';

/**
 * The coach's own sentences, in both languages. They stand in where the knowledge base has no entry in
 * the session's language (an entry written only in the other language is never shown in its place), and
 * they frame the structured facts of products, competitors and promotions that answers quote.
 */

const RESPONSE: Record<CoachLanguage, Record<ObjectionCategory, string>> = {
  en: {
    price: 'I understand the amount matters. Let us compare what you get for it over the years, not just the price today.',
    timing: 'Of course, take the time you need. What would have to be different for the decision to be easier later?',
    competitor: 'Good that you compare. Let us put both offers side by side, item by item, so you see the real difference.',
    trust: 'That is a fair concern. Let me show you the facts and the terms in writing rather than ask you to take my word for it.',
    need: 'What you have works, I understand. What does keeping it cost you each month, and what are you missing?',
    authority: 'That makes sense. What will matter most to them? I can prepare exactly that, or we can meet together.',
    financing: 'Let us look at the structure rather than the price: term, deposit or leasing can change the monthly amount a lot.',
    product_fit: 'Let us check how you really use the car: daily distance, longest trips, where you park and charge.',
  },
  pl: {
    price: 'Rozumiem, że kwota jest ważna. Porównajmy, co Pan dostaje przez lata, a nie tylko dzisiejszą cenę.',
    timing: 'Oczywiście, proszę się zastanowić. Co musiałoby się zmienić, żeby decyzja była później łatwiejsza?',
    competitor: 'Dobrze, że Pan porównuje. Zestawmy obie oferty punkt po punkcie, żeby zobaczyć prawdziwą różnicę.',
    trust: 'To uzasadniona obawa. Pokażę fakty i warunki na piśmie, zamiast prosić, żeby uwierzył Pan mi na słowo.',
    need: 'Rozumiem, że obecne rozwiązanie działa. Ile kosztuje Pana co miesiąc i czego Panu w nim brakuje?',
    authority: 'To rozsądne. Co będzie dla tej osoby najważniejsze? Przygotuję dokładnie to albo spotkajmy się razem.',
    financing: 'Zamiast ceny spójrzmy na strukturę: okres, wpłata własna albo leasing mocno zmieniają ratę.',
    product_fit: 'Sprawdźmy, jak naprawdę używa Pan auta: dzienny dystans, najdłuższe trasy, gdzie Pan parkuje i ładuje.',
  },
};

const QUESTION: Record<CoachLanguage, string> = {
  en: 'What matters most to you in this decision, and what would make you confident to go ahead?',
  pl: 'Co jest dla Pana najważniejsze w tej decyzji i co dałoby Panu pewność, żeby pójść dalej?',
};

const STEP: Record<CoachLanguage, string> = {
  en: 'Ask an open question about the client’s goal, then summarise what you heard before proposing a next step.',
  pl: 'Zadaj otwarte pytanie o cel klienta, a przed propozycją kolejnego kroku podsumuj, co usłyszałeś.',
};

export function templateResponse(language: CoachLanguage, category: ObjectionCategory): string {
  return RESPONSE[language][category];
}

export function templateQuestion(language: CoachLanguage): string {
  return QUESTION[language];
}

export function templatePlaybookStep(language: CoachLanguage): string {
  return STEP[language];
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A YYYY-MM-DD day as people write it: "31 March 2027" / "31.03.2027". */
export function formatDay(day: string, language: CoachLanguage): string {
  const [y, m, d] = day.split('-');
  if (!y || !m || !d) return day;
  return language === 'pl' ? `${d}.${m}.${y}` : `${Number(d)} ${MONTHS_EN[Number(m) - 1] ?? m} ${y}`;
}

/** Money or a percentage in the session's language (Polish: space-grouped thousands, decimal comma). */
export function formatAmount(value: number, currency: string | undefined, language: CoachLanguage): string {
  const number = new Intl.NumberFormat(language === 'pl' ? 'pl-PL' : 'en-GB', { maximumFractionDigits: 2, useGrouping: true }).format(value);
  if (!currency) return number;
  return currency === '%' ? `${number}%` : `${number} ${currency}`;
}

export function promotionText(language: CoachLanguage, title: string, body: string, facts: KnowledgeFacts | null): string {
  const until = facts?.validUntil ? formatDay(facts.validUntil, language) : null;
  const worth = facts?.amount !== undefined && facts.amount > 0 && facts.currency !== '%' ? formatAmount(facts.amount, facts.currency, language) : null;
  if (language === 'pl') {
    return `Aktualna promocja${until ? ` (do ${until})` : ''}: ${title}${worth ? ` o wartości ${worth}` : ''}. ${body} Czy to ułatwi Panu decyzję?`;
  }
  return `Current promotion${until ? ` (until ${until})` : ''}: ${title}${worth ? `, worth ${worth}` : ''}. ${body} Would that make it work for you?`;
}

export function competitorText(language: CoachLanguage, title: string, advantage: string): string {
  return language === 'pl'
    ? `W porównaniu z ${title}: ${advantage}. Który z tych punktów jest dla Pana najważniejszy?`
    : `Compared with the ${title}: ${advantage}. Which of these matters most to you?`;
}

const FACT_LABEL: Record<CoachLanguage, Record<'range' | 'warranty' | 'charging' | 'space', string>> = {
  en: { range: 'range', warranty: 'warranty', charging: 'charging', space: 'space' },
  pl: { range: 'zasięg', warranty: 'gwarancja', charging: 'ładowanie', space: 'przestrzeń' },
};

export function productFactText(language: CoachLanguage, title: string, field: 'range' | 'warranty' | 'charging' | 'space', value: string): string {
  const label = FACT_LABEL[language][field];
  return language === 'pl'
    ? `Konkretnie w ${title} — ${label}: ${value}. Sprawdźmy, czy to pasuje do Pana codziennych tras.`
    : `In the ${title} specifically — ${label}: ${value}. Let us check that against your everyday use.`;
}
