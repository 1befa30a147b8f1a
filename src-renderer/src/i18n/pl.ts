import { errorTextsPl } from '../errors/error-texts';
import type { en } from './en';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Polish strings (the default when the OS speaks Polish). */
export const pl: Shape<typeof en> = {
  app: { name: 'Fieldmate', tagline: 'Trener sprzedaży offline i analityk palet' },
  nav: { coach: 'Trener', pallets: 'Palety', dashboard: 'Pulpit', settings: 'Ustawienia', today: 'Dziś', pipeline: 'Lejek', shortcut: 'Ctrl+{{n}}' },
  status: {
    online: 'Online',
    offline: 'Offline',
    dbOk: 'Baza danych OK',
    dbError: 'Problem z bazą danych',
    schema: 'schemat {{applied}}/{{available}}',
    noModel: 'Brak załadowanego modelu',
    connecting: 'Łączenie…',
  },
  common: { save: 'Zapisz', cancel: 'Anuluj', saved: 'Zapisano', loading: 'Wczytywanie…', retry: 'Ponów', close: 'Zamknij' },
  coach: {
    title: 'Trener',
    placeholder:
      'Coaching w czasie rzeczywistym podczas rozmów z klientem: wpisz, co powiedział klient, a od razu dostaniesz odpowiedzi z bazy wiedzy, a potem strumieniowaną odpowiedź lokalnego modelu.',
  },
  pallets: {
    title: 'Palety',
    placeholder: 'Zaimportuj manifest dostawcy (.xlsx, .xls, .ods, .csv), sprawdź mapowanie kolumn, zastosuj swoje reguły i zobacz ocenę oraz wycenę każdej pozycji.',
  },
  dashboard: {
    title: 'Pulpit',
    coaching: 'Coaching',
    pallets: 'Palety',
    system: 'Stan systemu',
    placeholder: 'Wskaźniki palet i coachingu pojawią się tutaj, gdy tylko będziesz mieć analizy i sesje.',
  },
  settings: {
    title: 'Ustawienia',
    general: 'Ogólne',
    language: 'Język',
    theme: 'Motyw',
    themeLight: 'Jasny',
    themeDark: 'Ciemny',
    themeSystem: 'Systemowy',
    threads: 'Wątki modelu',
    threadsHint: 'Puste = wszystkie dostępne rdzenie',
    vatRate: 'Domyślna stawka VAT (%)',
  },
  errors: errorTextsPl,
  discard: { title: 'Odrzucić zmiany?', text: 'Zmiany nie zostały zapisane i przepadną.', keep: 'Wróć do edycji', discard: 'Odrzuć' },
};
