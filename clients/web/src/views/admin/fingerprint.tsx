/** A fingerprint as two people read it aloud to each other: large, in groups of four, never cut inside a group. */
export function BigFingerprint({ value, testid }: { value: string; testid: string }) {
  return (
    <p class="big-fingerprint" data-testid={testid}>
      {value.split(' ').flatMap((group, i) => (i > 0 ? [' ', <span key={i}>{group}</span>] : [<span key={i}>{group}</span>]))}
    </p>
  );
}
