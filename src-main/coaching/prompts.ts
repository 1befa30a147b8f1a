import type { Archetype, CoachLanguage } from '@shared/coaching/keys';
import type { KnowledgeEntry } from '@shared/coaching/types';
import type { Message } from '@shared/coaching/types';
import type { CoachChatTurn } from './llm-port';

/**
 * Prompts for the local model. Knowledge the coach retrieved for the current message goes into that
 * message, not the system prompt: the system prompt and history then stay identical between turns and
 * the conversation's KV cache is reused.
 */
const COACH_SYSTEM: Record<CoachLanguage, string> = {
  en: 'You are a sales coach sitting next to a salesperson during a live conversation with a customer. Answer in English, briefly (at most 5 sentences): what the customer really means, and what to say next, in words the salesperson can use. Use the knowledge entries given with each message and cite them as [K1], [K2]. Never invent prices, discounts or facts that are not in the knowledge entries.',
  pl: 'Jesteś trenerem sprzedaży, który siedzi obok handlowca podczas rozmowy z klientem na żywo. Odpowiadaj po polsku, krótko (najwyżej 5 zdań): co klient naprawdę ma na myśli i co powiedzieć dalej, słowami, których handlowiec może użyć. Korzystaj z wpisów wiedzy podanych przy każdej wiadomości i cytuj je jako [K1], [K2]. Nigdy nie wymyślaj cen, rabatów ani faktów, których nie ma we wpisach wiedzy.',
};

export function coachSystemPrompt(language: CoachLanguage, summary: string | null): string {
  const base = COACH_SYSTEM[language];
  if (!summary) return base;
  return `${base}\n\n${language === 'pl' ? 'Wcześniej w tej rozmowie' : 'Earlier in this conversation'}: ${summary}`;
}

export function speakerLabel(language: CoachLanguage, message: Message): string {
  const pl = language === 'pl';
  if (message.role === 'client') return `${pl ? 'Klient' : 'Customer'}: ${message.content}`;
  if (message.role === 'salesperson') return `${pl ? 'Handlowiec' : 'Salesperson'}: ${message.content}`;
  return message.content;
}

/** The current turn: what the customer said, plus the knowledge entries numbered for citation. */
export function coachTurnMessage(language: CoachLanguage, current: Message, knowledge: readonly KnowledgeEntry[]): string {
  const lines = [speakerLabel(language, current)];
  if (knowledge.length > 0) {
    lines.push('', language === 'pl' ? 'Wpisy wiedzy:' : 'Knowledge entries:');
    knowledge.forEach((k, i) => lines.push(`[K${i + 1}] ${k.title}: ${k.body.slice(0, 600)}`));
  }
  return lines.join('\n');
}

/** Maps [K1]… citations in a reply back to knowledge ids (unknown numbers are ignored). */
export function citedIds(reply: string, knowledge: readonly KnowledgeEntry[]): string[] {
  const ids = new Set<string>();
  for (const match of reply.matchAll(/\[K(\d{1,2})\]/g)) {
    const entry = knowledge[Number(match[1]) - 1];
    if (entry) ids.add(entry.id);
  }
  return [...ids];
}

/** Deterministic summary of dropped turns (same input, same text: the cache prefix stays stable). */
export function summariseTurns(language: CoachLanguage, turns: readonly CoachChatTurn[]): string {
  const userTurns = turns.filter((t) => t.role === 'user');
  const quotes = userTurns.slice(-3).map((t) => `"${t.text.replace(/\s+/g, ' ').slice(0, 160)}"`);
  return language === 'pl'
    ? `pominięto ${turns.length} starszych wypowiedzi; ostatnie z nich: ${quotes.join('; ')}.`
    : `${turns.length} older turns were left out; the last of them: ${quotes.join('; ')}.`;
}

export function analysisPrompt(language: CoachLanguage, transcript: string): { systemPrompt: string; prompt: string } {
  return language === 'pl'
    ? {
        systemPrompt: 'Analizujesz klienta w rozmowie sprzedażowej i odpowiadasz wyłącznie JSON-em zgodnym ze schematem.',
        prompt: `Rozmowa (najnowsze na końcu):\n${transcript}\n\nOceń klienta: archetyp i pewność, potrzeby, obiekcje (kategoria i cytat z wypowiedzi klienta), sygnały zakupowe, nastawienie, prawdopodobieństwo zakupu 0–100 oraz najlepsze następne pytanie (po polsku).`,
      }
    : {
        systemPrompt: 'You analyse the customer in a sales conversation and answer only with JSON matching the schema.',
        prompt: `Conversation (newest last):\n${transcript}\n\nAssess the customer: archetype and confidence, needs, objections (category and a quote of the customer's words), buying signals, sentiment, purchase likelihood 0-100, and the best next question (in English).`,
      };
}

export function roleplaySystemPrompt(language: CoachLanguage, archetype: KnowledgeEntry | null, archetypeKey: Archetype, objections: readonly KnowledgeEntry[]): string {
  const traits = archetype ? `${archetype.title}: ${archetype.body}` : archetypeKey;
  const list = objections.map((o) => `- ${o.title}`).join('\n');
  return language === 'pl'
    ? `Grasz klienta w ćwiczeniu sprzedażowym. Twój typ: ${traits}\nW trakcie rozmowy zgłoś, po kolei i naturalnie, te obiekcje:\n${list}\nMów tylko jako klient, po polsku, 1–3 zdania naraz. Nie ułatwiaj: ustąp dopiero, gdy handlowiec dobrze odpowie.`
    : `You play a customer in a sales practice. Your type: ${traits}\nDuring the conversation raise, one at a time and naturally, these objections:\n${list}\nSpeak only as the customer, in English, 1-3 sentences at a time. Do not make it easy: give in only when the salesperson answers well.`;
}

export function roleplayOpening(language: CoachLanguage): string {
  return language === 'pl' ? 'Handlowiec: Dzień dobry, w czym mogę pomóc?' : 'Salesperson: Hello, how can I help you?';
}

export function scorecardPrompt(language: CoachLanguage, transcript: string): { systemPrompt: string; prompt: string } {
  return language === 'pl'
    ? {
        systemPrompt: 'Jesteś wymagającym trenerem sprzedaży. Odpowiadasz wyłącznie JSON-em zgodnym ze schematem.',
        prompt: `Oto ćwiczenie (handlowiec vs klient):\n${transcript}\n\nOceń handlowca w skali 1–5 z krótkim uzasadnieniem po polsku: odkrywanie potrzeb (discovery), radzenie sobie z obiekcjami (objection_handling), komunikowanie wartości (value_articulation), zamykanie (closing).`,
      }
    : {
        systemPrompt: 'You are a demanding sales coach. Answer only with JSON matching the schema.',
        prompt: `Here is the practice (salesperson vs customer):\n${transcript}\n\nScore the salesperson 1-5 with a short reason in English: discovery, objection_handling, value_articulation, closing.`,
      };
}
