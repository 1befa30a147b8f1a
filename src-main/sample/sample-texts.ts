import type { CustomerAnalysis } from '@shared/coaching/analysis';
import type { CoachLanguage } from '@shared/coaching/keys';

/** What the sample records say, per language. Every name carries the word "Sample" so it is never mistaken for real data. */
export interface SampleTexts {
  leadName: string;
  company: string;
  notes: string;
  sessionTitle: string;
  turns: { role: 'client' | 'salesperson'; content: string }[];
  profile: CustomerAnalysis;
  analysisName: string;
  supplier: string;
}

const PL: SampleTexts = {
  leadName: 'Przykład: Anna Nowak',
  company: 'Przykładowa Hurtownia sp. z o.o. (dane przykładowe)',
  notes: 'Dane przykładowe Fieldmate — usuń je jednym kliknięciem w Ustawieniach.',
  sessionTitle: 'Przykład: pierwsza rozmowa',
  turns: [
    { role: 'client', content: 'Szczerze mówiąc, wasza oferta jest za droga w porównaniu z konkurencją.' },
    { role: 'salesperson', content: 'Rozumiem. Z jakimi kosztami porównuje Pani naszą ofertę?' },
    { role: 'client', content: 'Muszę to jeszcze omówić z szefem, decyzja nie należy tylko do mnie.' },
  ],
  profile: {
    archetype: 'analytical',
    archetype_confidence: 'medium',
    needs: ['niższy koszt całkowity', 'pewność dostaw'],
    objections: [
      { category: 'price', quote: 'wasza oferta jest za droga' },
      { category: 'authority', quote: 'muszę to omówić z szefem' },
    ],
    buying_signals: ['porównuje oferty'],
    sentiment: 'neutral',
    purchase_likelihood: 45,
    next_best_question: 'Kto poza Panią bierze udział w decyzji i co będzie dla tej osoby najważniejsze?',
  },
  analysisName: 'Przykład: paleta zwrotów',
  supplier: 'Przykładowy dostawca',
};

const EN: SampleTexts = {
  leadName: 'Sample: Anna Novak',
  company: 'Sample Wholesale Ltd (sample data)',
  notes: 'Fieldmate sample data — remove it in one click in Settings.',
  sessionTitle: 'Sample: first conversation',
  turns: [
    { role: 'client', content: 'Honestly, your offer is too expensive compared with the competition.' },
    { role: 'salesperson', content: 'I understand. Which costs are you comparing our offer with?' },
    { role: 'client', content: 'I still need to discuss it with my boss, it is not only my decision.' },
  ],
  profile: {
    archetype: 'analytical',
    archetype_confidence: 'medium',
    needs: ['lower total cost', 'reliable deliveries'],
    objections: [
      { category: 'price', quote: 'your offer is too expensive' },
      { category: 'authority', quote: 'I need to discuss it with my boss' },
    ],
    buying_signals: ['compares offers'],
    sentiment: 'neutral',
    purchase_likelihood: 45,
    next_best_question: 'Who else takes part in the decision, and what will matter most to them?',
  },
  analysisName: 'Sample: returns pallet',
  supplier: 'Sample supplier',
};

export function sampleTexts(language: CoachLanguage): SampleTexts {
  return language === 'pl' ? PL : EN;
}

/** A small returns manifest (English headers, which every importer recognises) as CSV. */
export function sampleManifestCsv(): string {
  const rows: (string | number)[][] = [
    ['EAN', 'Item Description', 'Category', 'Condition', 'Qty', 'Retail Per Unit'],
    ['5901234123457', 'Cordless drill 18V (sample)', 'Tools', 'New', 2, 349.99],
    ['5901234123464', 'Electric kettle 1.7 l (sample)', 'Home', 'Like New', 4, 129.0],
    ['5901234123471', 'Bluetooth headphones (sample)', 'Electronics', 'Used - Good', 3, 199.5],
    ['5901234123488', 'Kids bicycle 16" (sample)', 'Sports', 'Refurbished', 1, 549.0],
    ['5901234123495', 'LED desk lamp (sample)', 'Home', 'New', 6, 79.9],
    ['5901234123501', 'Blender 600 W (sample)', 'Home', 'Salvage', 1, 189.0],
    ['5901234123518', 'Smartwatch (sample)', 'Electronics', 'Used - Fair', 2, 399.0],
    ['5901234123525', 'Camping tent 3p (sample)', 'Sports', 'New', 1, 459.0],
  ];
  return rows.map((row) => row.join(',')).join('\n') + '\n';
}
