/** Follows the system colour scheme (app.css switches its variables on the same media query). */
class Theme {
  dark = $state(false);

  constructor() {
    if (typeof matchMedia === 'function') {
      const query = matchMedia('(prefers-color-scheme: dark)');
      this.dark = query.matches;
      query.addEventListener('change', (e) => (this.dark = e.matches));
    }
  }
}

export const theme = new Theme();
