// The agent's own availability in the top bar: routing (the policy's [routing]) gives away
// agents nothing; coming back takes the oldest waiting tickets they have room for.
import { useEffect, useState } from 'preact/hooks';
import { get, patch } from '../api';
import { t } from '../i18n';
import type { Availability } from '../types';
import { errorText } from './common';

export function AvailabilityToggle({ userId }: { userId: number }) {
  const [state, setState] = useState<Availability | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const path = `/api/v1/agents/${userId}/availability`;
  useEffect(() => {
    get<Availability>(path).then(setState, () => setState(null));
  }, [path]);
  if (!state) return null;
  const toggle = async () => {
    setBusy(true);
    setError('');
    try {
      setState(await patch<Availability>(path, { away: !state.away }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const label = state.away ? t('availability.away') : t('availability.available');
  return (
    <button
      type="button"
      class={`btn btn-small availability ${state.away ? 'is-away' : 'is-available'}`}
      data-testid="availability"
      aria-pressed={state.away}
      disabled={busy}
      title={error || (state.away ? t('availability.awayHint') : t('availability.availableHint'))}
      onClick={() => void toggle()}
    >
      <span class="availability-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
