// Durations as the API writes them: "HH:MM:SS" or "HH:MM:SS.ffffff" (hours may pass 24).

/** Whole seconds of "HH:MM:SS(.ffffff)", or null when the text is not such a duration. */
export function parseDuration(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(\d+):([0-5]\d):([0-5]\d)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Seconds split into hours, minutes, seconds. */
export function splitSeconds(total: number): { hours: number; minutes: number; seconds: number } {
  const s = Math.max(0, Math.round(total));
  return { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}
