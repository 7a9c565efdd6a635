/** The field for a 6-digit one-time code (SMS or authenticator app): numeric keypad, autofill from the OS. */
export function CodeInput({ id, name, value, onValue, describedBy }: { id: string; name?: string; value: string; onValue: (code: string) => void; describedBy?: string }) {
  return (
    <input
      id={id}
      name={name}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      aria-describedby={describedBy}
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );
}
