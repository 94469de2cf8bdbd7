/** The administrator's small shared pieces: a fingerprint to read aloud, a wide table a keyboard can scroll. */
import type { ComponentChildren } from 'preact';
/** A fingerprint as two people read it aloud to each other: large, in groups of four, never cut inside a group. */
export function BigFingerprint({ value, testid }: { value: string; testid: string }) {
  return (
    <p class="big-fingerprint" data-testid={testid}>
      {value.split(' ').flatMap((group, i) => (i > 0 ? [' ', <span key={i}>{group}</span>] : [<span key={i}>{group}</span>]))}
    </p>
  );
}

/** A wide table that scrolls sideways on a phone: a named region a keyboard can reach and scroll. */
export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="admin-table" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
