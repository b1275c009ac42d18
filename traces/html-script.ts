// The HTML view's page script: five parts sharing one function scope, run once the page loads.
import { SCRIPT_DETAILS } from './html-script-details.js';
import { SCRIPT_DRAW } from './html-script-draw.js';
import { SCRIPT_INPUT } from './html-script-input.js';
import { SCRIPT_STATE } from './html-script-state.js';
import { SCRIPT_STORY } from './html-script-story.js';

export const HTML_SCRIPT = ['(function () {', "'use strict';", SCRIPT_STATE, SCRIPT_DRAW, SCRIPT_STORY, SCRIPT_DETAILS, SCRIPT_INPUT, '})();'].join('\n');
