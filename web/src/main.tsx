import { render } from 'preact';
import { App } from './App';
import { syncServerClock } from './clock';
import { preferredLanguage, setLanguage } from './i18n';
import { loadSession } from './state';
import './styles.css';

setLanguage(preferredLanguage());
document.documentElement.lang = preferredLanguage();
render(<App />, document.getElementById('app')!);
void loadSession();
void syncServerClock(); // SLA countdowns and relative times use the server's now
