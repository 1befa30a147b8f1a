import { create } from 'zustand';

interface NextStepState {
  /** One sentence telling a new user what to do next (shown above the coach until dismissed). */
  text: string | null;
  set(text: string | null): void;
}

export const useNextStepStore = create<NextStepState>((set) => ({
  text: null,
  set: (text) => set({ text }),
}));
