import type { ErrorCode } from '@shared/contract/errors';

/** What a person reads above an error's sentence (title) and below it (what to do next). */
export interface ErrorText {
  title: string;
  hint: string;
}

/**
 * One text per contract error code. Typed over `ErrorCode`, so adding a code to the contract without
 * its English and Polish text is a compile error, and so is a text for a code that does not exist.
 */
export type ErrorTexts = { readonly [C in ErrorCode]: ErrorText };

/** Wording a screen may use instead for some codes (the sync panel's "will retry automatically"). */
export type ErrorTextOverrides = Partial<ErrorTexts>;

/** Mantine colour per code: yellow asks the user to fix something, gray is their own doing. */
export const ERROR_COLORS: { readonly [C in ErrorCode]: string } = {
  VALIDATION: 'yellow',
  UNKNOWN_CHANNEL: 'red',
  FORBIDDEN: 'red',
  NOT_FOUND: 'red',
  CONFLICT: 'yellow',
  CANCELLED: 'gray',
  TIMEOUT: 'orange',
  UNAVAILABLE: 'orange',
  MODEL_ERROR: 'red',
  IMPORT_ERROR: 'red',
  SYNC_ERROR: 'red',
  INTERNAL: 'red',
};

export const errorTextsEn: ErrorTexts = {
  VALIDATION: { title: 'Please check the input', hint: 'Correct the highlighted value and try again.' },
  UNKNOWN_CHANNEL: { title: 'Not available in this version', hint: 'The app and its core do not match; restart Fieldmate.' },
  FORBIDDEN: { title: 'Not allowed', hint: 'This window may not do that; restart Fieldmate if it keeps happening.' },
  NOT_FOUND: { title: 'Not found', hint: 'It may have been deleted meanwhile; refresh the list.' },
  CONFLICT: { title: 'Not possible right now', hint: 'Something else is using it; try again in a moment.' },
  CANCELLED: { title: 'Cancelled', hint: 'Nothing was changed; start again when you are ready.' },
  TIMEOUT: { title: 'Took too long', hint: 'Try again; a smaller input is faster.' },
  UNAVAILABLE: { title: 'Not available', hint: 'It may work again in a moment; nothing is lost.' },
  MODEL_ERROR: { title: 'The model failed', hint: 'Try again, or load another model in Settings → Models.' },
  IMPORT_ERROR: { title: 'The file cannot be imported', hint: 'Check that it is the right file and not damaged, or save it again as .xlsx.' },
  SYNC_ERROR: { title: 'Sync needs you', hint: 'This will not fix itself: check the sync settings or ask your administrator.' },
  INTERNAL: { title: 'Something went wrong', hint: 'Try again; if it keeps failing, the log file says more.' },
};

export const errorTextsPl: ErrorTexts = {
  VALIDATION: { title: 'Sprawdź wprowadzone dane', hint: 'Popraw zaznaczoną wartość i spróbuj ponownie.' },
  UNKNOWN_CHANNEL: { title: 'Niedostępne w tej wersji', hint: 'Aplikacja i jej rdzeń nie pasują do siebie; uruchom Fieldmate ponownie.' },
  FORBIDDEN: { title: 'Niedozwolone', hint: 'To okno nie może tego zrobić; jeśli to się powtarza, uruchom Fieldmate ponownie.' },
  NOT_FOUND: { title: 'Nie znaleziono', hint: 'Mogło zostać w międzyczasie usunięte; odśwież listę.' },
  CONFLICT: { title: 'Teraz niemożliwe', hint: 'Coś innego tego używa; spróbuj za chwilę.' },
  CANCELLED: { title: 'Anulowano', hint: 'Nic nie zostało zmienione; zacznij od nowa, gdy zechcesz.' },
  TIMEOUT: { title: 'Trwało to zbyt długo', hint: 'Spróbuj ponownie; mniejsze dane idą szybciej.' },
  UNAVAILABLE: { title: 'Niedostępne', hint: 'Za chwilę może znów działać; nic nie przepadło.' },
  MODEL_ERROR: { title: 'Błąd modelu', hint: 'Spróbuj ponownie albo załaduj inny model w Ustawienia → Modele.' },
  IMPORT_ERROR: { title: 'Nie można zaimportować pliku', hint: 'Sprawdź, czy to właściwy i nieuszkodzony plik, albo zapisz go ponownie jako .xlsx.' },
  SYNC_ERROR: { title: 'Synchronizacja wymaga Twojej reakcji', hint: 'To nie naprawi się samo: sprawdź ustawienia synchronizacji albo zapytaj administratora.' },
  INTERNAL: { title: 'Coś poszło nie tak', hint: 'Spróbuj ponownie; jeśli błąd się powtarza, więcej powie plik dziennika.' },
};

/**
 * Translation keys for an error's title and hint, most specific first: a screen's own wording
 * (`<scope>.errors.<code>`, typed as ErrorTextOverrides) when it has one, else the shared `errors.<code>`.
 */
export function errorTextKeys(code: ErrorCode, scope?: string): { title: string[]; hint: string[] } {
  const own = scope ? [`${scope}.errors.${code}`] : [];
  const keys = [...own, `errors.${code}`];
  return { title: keys.map((k) => `${k}.title`), hint: keys.map((k) => `${k}.hint`) };
}
