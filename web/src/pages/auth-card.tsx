import type { ComponentChildren } from 'preact';

/** The page of the signed-out views (sign in, create an account): one centred card, the name on top. */
export function AuthCard({ brand = true, children }: { brand?: boolean; children: ComponentChildren }) {
  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        {brand && (
          <p class="brand" aria-hidden="true">
            Heron
          </p>
        )}
        {children}
      </div>
    </main>
  );
}
