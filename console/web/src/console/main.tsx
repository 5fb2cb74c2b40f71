import { render } from 'preact';
import { Shell } from './shell';
import '../style.css';
import './console.css';

render(<Shell />, document.getElementById('app')!);
