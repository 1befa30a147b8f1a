import { errorTextsEn } from '../errors/error-texts';

/** English strings. Keys are shared with pl.ts (the type there enforces the same shape). */
export const en = {
  app: { name: 'Fieldmate', tagline: 'Offline sales coach and pallet analyst' },
  nav: { coach: 'Coach', pallets: 'Pallets', dashboard: 'Dashboard', settings: 'Settings', today: 'Today', pipeline: 'Pipeline', shortcut: 'Ctrl+{{n}}' },
  status: {
    online: 'Online',
    offline: 'Offline',
    dbOk: 'Database OK',
    dbError: 'Database problem',
    schema: 'schema {{applied}}/{{available}}',
    noModel: 'No model loaded',
    connecting: 'Connecting…',
  },
  common: { save: 'Save', cancel: 'Cancel', saved: 'Saved', loading: 'Loading…', retry: 'Retry', close: 'Close' },
  coach: {
    title: 'Coach',
    placeholder:
      'Real-time coaching for your customer conversations: type what the client said and get instant answers from the knowledge base, then a streamed reply from the local model.',
  },
  pallets: {
    title: 'Pallets',
    placeholder: 'Import a supplier manifest (.xlsx, .xls, .ods, .csv), check the column mapping, apply your rules and see every line scored and valued.',
  },
  dashboard: {
    title: 'Dashboard',
    coaching: 'Coaching',
    pallets: 'Pallets',
    system: 'System health',
    placeholder: 'Pallet and coaching KPIs appear here as soon as you have analyses and coaching sessions.',
  },
  settings: {
    title: 'Settings',
    general: 'General',
    language: 'Language',
    theme: 'Theme',
    themeLight: 'Light',
    themeDark: 'Dark',
    themeSystem: 'System',
    threads: 'Model threads',
    threadsHint: 'Empty = all available cores',
    vatRate: 'Default VAT rate (%)',
  },
  errors: errorTextsEn,
  discard: { title: 'Discard changes?', text: 'Your changes have not been saved and will be lost.', keep: 'Keep editing', discard: 'Discard' },
};
