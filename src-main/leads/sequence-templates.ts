import type { Archetype, CoachLanguage } from '@shared/coaching/keys';

/**
 * Follow-up sequence templates (the offline "autopilot"): day 0 thank you, day 2 offer, day 7 check-in,
 * in Polish and English. The offer is worded per archetype where it matters (numbers for an analytical
 * client, brevity for a driver, proof for a skeptic, the saving for a bargain hunter); `{name}`,
 * `{company}`, `{topic}` and `{nextStep}` are filled from the lead and its last session.
 */

export interface StepTemplate {
  kind: 'thank_you' | 'offer' | 'check_in';
  dayOffset: number;
  subject: string;
  body: string;
}

export const SEQUENCE_TEMPLATE_KEYS = ['standard'] as const;
export type SequenceTemplateKey = (typeof SEQUENCE_TEMPLATE_KEYS)[number];

type Texts = Record<StepTemplate['kind'], { subject: string; body: string }>;

const BASE: Record<CoachLanguage, Texts> = {
  en: {
    thank_you: { subject: 'Thank you for today, {name}', body: 'Hello {name},\n\nthank you for your time today. As agreed: {nextStep}\n\nBest regards' },
    offer: { subject: 'Your offer', body: 'Hello {name},\n\nas promised, here is the offer we talked about ({topic}). I am happy to go through it with you.\n\nBest regards' },
    check_in: { subject: 'Checking in', body: 'Hello {name},\n\nI wanted to check whether you had a chance to look at the offer. Shall we set up a short call this week?\n\nBest regards' },
  },
  pl: {
    thank_you: { subject: 'Dziękuję za dzisiejszą rozmowę, {name}', body: 'Dzień dobry {name},\n\ndziękuję za dzisiejsze spotkanie. Tak jak ustaliliśmy: {nextStep}\n\nPozdrawiam serdecznie' },
    offer: { subject: 'Obiecana oferta', body: 'Dzień dobry {name},\n\nzgodnie z obietnicą przesyłam ofertę, o której rozmawialiśmy ({topic}). Chętnie omówię ją z Panem/Panią.\n\nPozdrawiam serdecznie' },
    check_in: { subject: 'Krótkie pytanie', body: 'Dzień dobry {name},\n\nczy udało się zapoznać z ofertą? Może umówimy krótką rozmowę w tym tygodniu?\n\nPozdrawiam serdecznie' },
  },
};

/** Only the offer changes with the archetype: the other steps read the same for everyone. */
const OFFER_BY_ARCHETYPE: Partial<Record<Archetype, Record<CoachLanguage, string>>> = {
  analytical: {
    en: 'Hello {name},\n\nhere is the offer ({topic}) with the full specification, the price breakdown and the warranty terms, so you can compare it point by point.\n\nBest regards',
    pl: 'Dzień dobry {name},\n\nprzesyłam ofertę ({topic}) z pełną specyfikacją, rozbiciem ceny i warunkami gwarancji, aby mógł Pan/mogła Pani porównać ją punkt po punkcie.\n\nPozdrawiam serdecznie',
  },
  driver: {
    en: 'Hello {name},\n\nthe offer ({topic}) in one page: price, delivery date, what you get. One reply and we go ahead.\n\nBest regards',
    pl: 'Dzień dobry {name},\n\noferta ({topic}) na jednej stronie: cena, termin, co Pan/Pani otrzymuje. Jedna odpowiedź i ruszamy.\n\nPozdrawiam',
  },
  skeptic: {
    en: 'Hello {name},\n\nhere is the offer ({topic}) together with references from clients in a similar situation and the guarantee terms in writing.\n\nBest regards',
    pl: 'Dzień dobry {name},\n\nprzesyłam ofertę ({topic}) wraz z referencjami klientów w podobnej sytuacji i warunkami gwarancji na piśmie.\n\nPozdrawiam serdecznie',
  },
  bargain_hunter: {
    en: 'Hello {name},\n\nhere is the offer ({topic}); I have set out what you save compared with the usual price and how long the terms hold.\n\nBest regards',
    pl: 'Dzień dobry {name},\n\nprzesyłam ofertę ({topic}); zaznaczyłem, ile Pan/Pani oszczędza w porównaniu ze zwykłą ceną i jak długo obowiązują warunki.\n\nPozdrawiam serdecznie',
  },
};

const TEMPLATE_STEPS: Record<SequenceTemplateKey, readonly StepTemplate['kind'][]> = { standard: ['thank_you', 'offer', 'check_in'] };

const DAYS: Record<StepTemplate['kind'], number> = { thank_you: 0, offer: 2, check_in: 7 };

export function sequenceTemplate(key: SequenceTemplateKey, language: CoachLanguage, archetype: Archetype | null): StepTemplate[] {
  const texts = BASE[language];
  return TEMPLATE_STEPS[key].map((kind) => {
    const offerBody = kind === 'offer' && archetype ? OFFER_BY_ARCHETYPE[archetype]?.[language] : undefined;
    return { kind, dayOffset: DAYS[kind], subject: texts[kind].subject, body: offerBody ?? texts[kind].body };
  });
}

export interface DraftContext {
  name: string;
  company: string | null;
  topic: string | null;
  nextStep: string | null;
}

export function fillTemplate(text: string, ctx: DraftContext, language: CoachLanguage): string {
  const fallbackTopic = language === 'pl' ? 'nasza rozmowa' : 'our conversation';
  const fallbackStep = language === 'pl' ? 'wrócę do Pana/Pani z ofertą.' : 'I will get back to you with the offer.';
  return text
    .replaceAll('{name}', ctx.name)
    .replaceAll('{company}', ctx.company ?? '')
    .replaceAll('{topic}', ctx.topic ?? fallbackTopic)
    .replaceAll('{nextStep}', ctx.nextStep ?? fallbackStep);
}
