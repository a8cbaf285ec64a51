// Keyset paging: each page is asked for with the cursor the previous one returned ('next');
// going back re-asks with the cursor kept for that page. No offsets anywhere.

import { h } from './dom.js';

export class Pager {
  constructor(load) {
    this.load = load;       // async (cursor) => {rows, next}
    this.cursors = [null];  // the cursor of every page seen so far, page 1 first
    this.index = 0;
    this.next = null;
  }

  async show() {
    const page = await this.load(this.cursors[this.index]);
    this.next = page.next;
    return page;
  }

  async forward() {
    if (!this.next) return null;
    this.cursors = this.cursors.slice(0, this.index + 1);
    this.cursors.push(this.next);
    this.index++;
    return this.show();
  }

  async back() {
    if (this.index === 0) return null;
    this.index--;
    return this.show();
  }

  controls(onChange) {
    return h('div', { class: 'toolbar', role: 'navigation', 'aria-label': 'Pages' },
      h('button', { type: 'button', id: 'prev-page', disabled: this.index === 0, onclick: async () => onChange(await this.back()) }, '← Previous'),
      h('span', { class: 'muted', id: 'page-number' }, 'page ' + (this.index + 1)),
      h('button', { type: 'button', id: 'next-page', disabled: !this.next, onclick: async () => onChange(await this.forward()) }, 'Next →'));
  }
}
