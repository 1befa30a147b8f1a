import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { ERROR_COLORS, errorTextKeys } from './error-texts';
import { toUiError } from './ui-error';

/** A failure with no place on screen to stay (a rating, a row action): a toast with the code's title. */
export function notifyError(error: unknown, t: TFunction): void {
  const ui = toUiError(error);
  notifications.show({ color: ERROR_COLORS[ui.code], title: t(errorTextKeys(ui.code).title), message: ui.message });
}
