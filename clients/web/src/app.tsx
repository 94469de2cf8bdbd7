import { useEffect, useState } from 'preact/hooks';
import { loadSodium } from '../../../protocol/sodium.js';
import { VigieClient } from '../../sdk/client.js';
export function App() {
  const [s, set] = useState('');
  useEffect(() => void loadSodium().then((c) => set(String(c.randomBytes(4).length) + String(typeof VigieClient))), []);
  return (
    <main class="container">
      <h1>Vigie {s}</h1>
    </main>
  );
}
