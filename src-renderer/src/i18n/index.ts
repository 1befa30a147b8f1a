import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from './resources';

/** Polish and English, switched at runtime from the persisted setting. */
export function initI18n(language: 'pl' | 'en'): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export function setLanguage(language: 'pl' | 'en'): void {
  if (i18next.language !== language) void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
