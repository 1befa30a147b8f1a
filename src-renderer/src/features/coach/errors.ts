/** What a person may paste into one message (the contract's bound); longer text is cut in the UI first. */
export const MAX_PASTE_CHARS = 200_000;
