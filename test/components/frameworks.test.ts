// Framework embedding: React 19 and Vue 3 bind properties and events, drive `content` from their own
// state, re-render and move the element; plus the light-DOM mode, styled by page CSS.
import { expect } from 'chai';
import type * as VueApi from 'vue';
import type { LlmStreamElement } from '../../components/llm-stream.js';
import type { StreamResult } from '../../src/types.js';
import { contentOf, mockUrl, waitFor } from './helpers.js';

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

// ---------------------------------------------------------------------------------------------------
// React ships CommonJS only. A few lines of `require` load its production builds as they are.

/* eslint-disable @typescript-eslint/no-explicit-any */
interface ReactApi {
  createElement(type: any, props?: Record<string, unknown> | null, ...children: any[]): any;
  useState<T>(initial: T): [T, (next: T | ((previous: T) => T)) => void];
  useRef<T>(initial: T): { current: T };
  useEffect(effect: () => void | (() => void), deps?: unknown[]): void;
}
interface ReactDomClient {
  createRoot(container: Element): { render(node: unknown): void; unmount(): void };
}
interface ReactModules {
  React: ReactApi;
  client: ReactDomClient;
  act(callback: () => void | Promise<void>): Promise<void>;
}

let reactModules: Promise<ReactModules> | null = null;
function loadReact(): Promise<ReactModules> {
  reactModules ??= (async () => {
    const files: Record<string, string> = {
      react: '/node_modules/react/cjs/react.production.js',
      scheduler: '/node_modules/scheduler/cjs/scheduler.production.js',
      'react-dom': '/node_modules/react-dom/cjs/react-dom.production.js',
      'react-dom/client': '/node_modules/react-dom/cjs/react-dom-client.production.js',
    };
    const sources: Record<string, string> = {};
    await Promise.all(Object.entries(files).map(async ([name, url]) => (sources[name] = await (await fetch(url)).text())));
    const cache: Record<string, { exports: any }> = {};
    const require = (name: string): any => {
      if (cache[name]) return cache[name].exports;
      const source = sources[name];
      if (source === undefined) throw new Error(`unexpected require('${name}')`);
      const module = { exports: {} as any };
      cache[name] = module;
      new Function('module', 'exports', 'require', 'process', source)(module, module.exports, require, { env: { NODE_ENV: 'production' } });
      return module.exports;
    };
    const React = require('react') as ReactApi & { act?: (callback: () => unknown) => Promise<void> };
    const client = require('react-dom/client') as ReactDomClient;
    // Let React commit: a couple of macrotasks and a frame.
    const act = async (callback: () => void | Promise<void>): Promise<void> => {
      await callback();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await frame();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    return { React, client, act };
  })();
  return reactModules;
}

let vueModule: Promise<typeof VueApi> | null = null;
function loadVue(): Promise<typeof VueApi> {
  // The browser ESM build (with the template compiler); the package's default entry is for bundlers.
  vueModule ??= import('/node_modules/vue/dist/vue.esm-browser.prod.js' as string) as Promise<typeof VueApi>;
  return vueModule;
}

let mount: HTMLElement;
beforeEach(() => {
  mount = document.createElement('div');
  document.body.append(mount);
});
afterEach(() => document.body.replaceChildren());

const WORDS = 'Streaming **markdown** from framework state, one word at a time, into the element.'.split(' ');

describe('React 19', () => {
  it('binds properties, listens with on<event> props and drives `content` from state', async () => {
    const { React, client, act } = await loadReact();
    const h = React.createElement;
    const log: { done: StreamResult[]; element: LlmStreamElement | null; setText: (t: string) => void; setOther: (n: number) => void; renders: number } = {
      done: [],
      element: null,
      setText: () => {},
      setOther: () => {},
      renders: 0,
    };
    function Chat() {
      const [text, setText] = React.useState('');
      const [other, setOther] = React.useState(0);
      const ref = React.useRef<LlmStreamElement | null>(null);
      log.setText = setText;
      log.setOther = setOther;
      log.renders++;
      React.useEffect(() => {
        log.element = ref.current;
      });
      return h(
        'div',
        { className: 'chat', 'data-other': other },
        h('p', null, `renders: ${other}`),
        h('llm-stream', {
          ref,
          manual: true,
          content: text,
          imageOrigins: 'self https://images.example',
          pacing: 'none',
          'scroll-container': 'none',
          'onllm-done': (event: CustomEvent<StreamResult>) => log.done.push(event.detail),
        }),
      );
    }
    const root = client.createRoot(mount);
    await act(() => root.render(h(Chat)));
    const element = log.element!;
    expect(element).to.be.instanceOf(customElements.get('llm-stream')!);
    // React 19 sets properties on custom elements when the element has them.
    expect(element.imageOrigins).to.equal('self https://images.example');
    expect(element.getAttribute('image-origins')).to.equal('self https://images.example');
    expect(element.manual).to.equal(true);
    expect(element.scrollContainer).to.equal('none');

    let text = '';
    for (const word of WORDS) {
      text += (text ? ' ' : '') + word;
      await act(() => log.setText(text));
    }
    expect(element.content).to.equal(text);
    await waitFor(() => contentOf(element).textContent!.trim() === text.replace(/\*\*/g, ''), 'the state rendered');
    expect(contentOf(element).querySelector('strong')?.textContent).to.equal('markdown');

    element.end();
    await waitFor(() => log.done.length === 1, 'llm-done through the onllm-done prop');
    expect(log.done[0]!.text).to.equal(text);
    expect(element.status).to.equal('done');

    // An unrelated re-render of the parent leaves the element, its content and state alone.
    const before = contentOf(element).innerHTML;
    const renders = log.renders;
    await act(() => log.setOther(1));
    await act(() => log.setOther(2));
    expect(log.renders).to.be.greaterThan(renders);
    expect(mount.querySelector('llm-stream')).to.equal(element);
    expect(contentOf(element).innerHTML).to.equal(before);
    expect(element.status).to.equal('done');

    // New state that does not extend the old re-renders from scratch.
    await act(() => log.setText('Something *else*.'));
    await waitFor(() => contentOf(element).textContent!.trim() === 'Something else.', 'the replaced state');
    await act(() => root.unmount());
  });

  it('keeps streaming when a list reorder moves the element, and stops when it is unmounted', async () => {
    const { React, client, act } = await loadReact();
    const h = React.createElement;
    let setOrder: (order: string[]) => void = () => {};
    let setShown: (shown: boolean) => void = () => {};
    function Panes() {
      const [order, setOrderState] = React.useState(['a', 'b']);
      const [shown, setShownState] = React.useState(true);
      setOrder = setOrderState;
      setShown = setShownState;
      return h(
        'div',
        null,
        order.map((key) =>
          h('section', { key, id: `pane-${key}` }, key === 'a' && shown ? h('llm-stream', { manual: true, 'scroll-container': 'none' }) : h('p', null, 'other pane')),
        ),
      );
    }
    const root = client.createRoot(mount);
    await act(() => root.render(h(Panes)));
    const element = mount.querySelector<LlmStreamElement>('llm-stream')!;
    const done = element.start({ url: mockUrl({ tps: 150, answer: 'short' }) });
    await waitFor(() => element.status === 'streaming', 'streaming');

    await act(() => setOrder(['b', 'a']));
    expect(mount.querySelector('section')!.id).to.equal('pane-b');
    expect(mount.querySelector('#pane-a llm-stream')).to.equal(element); // moved, not re-created
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(['streaming', 'done']).to.include(element.status);
    const result = await done;
    expect(result.status).to.equal('done');
    expect(contentOf(element).textContent!.length).to.be.greaterThan(5);

    // Unmounted mid-stream: the request is aborted (nobody can see it any more).
    const second = element.start({ url: mockUrl({ tps: 20, answer: 'default' }) });
    await waitFor(() => element.status === 'streaming', 'streaming again');
    await act(() => setShown(false));
    expect(element.isConnected).to.equal(false);
    expect((await second).finishReason).to.equal('abort');
    await act(() => root.unmount());
  });
});

describe('Vue 3', () => {
  it('binds :content and other properties, listens with @llm-done, survives re-renders and moves', async () => {
    const Vue = await loadVue();
    const state = Vue.reactive({ text: '', order: ['a', 'b'], counter: 0, done: [] as StreamResult[] });
    const app = Vue.createApp({
      setup: () => ({ state, onDone: (event: CustomEvent<StreamResult>) => state.done.push(event.detail) }),
      template: `
        <div>
          <p class="counter">{{ state.counter }}</p>
          <section v-for="key in state.order" :key="key" :id="'pane-' + key">
            <llm-stream v-if="key === 'a'" manual :content="state.text" pacing="word" image-origins="self"
              scroll-container="none" @llm-done="onDone"></llm-stream>
            <p v-else>other pane</p>
          </section>
        </div>`,
    });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'llm-stream';
    app.mount(mount);
    await Vue.nextTick();
    const element = mount.querySelector<LlmStreamElement>('llm-stream')!;
    expect(element.manual).to.equal(true);
    expect(element.pacing).to.equal('word');
    expect(element.imageOrigins).to.equal('self');

    let text = '';
    for (const word of WORDS) {
      text += (text ? ' ' : '') + word;
      state.text = text;
      await Vue.nextTick();
    }
    expect(element.content).to.equal(text);
    // Word pacing holds the last, unfinished word until the text ends.
    await waitFor(() => contentOf(element).textContent!.includes('into the'), 'the state rendered');
    element.end();
    await waitFor(() => state.done.length === 1, 'llm-done through @llm-done');
    expect(state.done[0]!.text).to.equal(text);
    expect(contentOf(element).textContent!.trim()).to.equal(text.replace(/\*\*/g, ''));

    const before = contentOf(element).innerHTML;
    state.counter++;
    await Vue.nextTick();
    expect(mount.querySelector('.counter')!.textContent).to.equal('1');
    expect(mount.querySelector('llm-stream')).to.equal(element);
    expect(contentOf(element).innerHTML).to.equal(before);

    // Reordering the v-for moves the element's section; a stream keeps going.
    const running = element.start({ url: mockUrl({ tps: 150, answer: 'short' }) });
    await waitFor(() => element.status === 'streaming', 'streaming');
    state.order = ['b', 'a'];
    await Vue.nextTick();
    expect(mount.querySelector('section')!.id).to.equal('pane-b');
    expect(mount.querySelector('#pane-a llm-stream')).to.equal(element);
    expect((await running).status).to.equal('done');
    expect(state.done.length).to.equal(2);
    app.unmount();
  });

  it('works with render functions and h()', async () => {
    const Vue = await loadVue();
    const text = Vue.ref('');
    const done: StreamResult[] = [];
    const app = Vue.createApp({
      render: () => Vue.h('llm-stream', { manual: true, content: text.value, 'onLlm-done': (event: CustomEvent<StreamResult>) => done.push(event.detail) }),
    });
    app.mount(mount);
    const element = mount.querySelector<LlmStreamElement>('llm-stream')!;
    text.value = '# Hello';
    await Vue.nextTick();
    text.value = '# Hello\n\nfrom a render function';
    await Vue.nextTick();
    element.end();
    await waitFor(() => done.length === 1, 'llm-done');
    expect(contentOf(element).querySelector('h1')!.textContent).to.equal('Hello');
    expect(contentOf(element).querySelector('p')!.textContent).to.equal('from a render function');
    app.unmount();
  });
});

describe('light DOM mode', () => {
  it('renders into the light DOM, where page CSS styles it', async () => {
    const style = document.createElement('style');
    style.textContent = '.prose p { color: rgb(12, 34, 56); } .prose code { font-family: monospace; }';
    mount.className = 'prose';
    document.head.append(style);
    try {
      const element = document.createElement('llm-stream') as LlmStreamElement;
      element.setAttribute('light-dom', '');
      element.setAttribute('manual', '');
      mount.append(element);
      await element.start({ url: mockUrl({ tps: 'max', text: 'Hello **light** DOM.\n\n```js\nx()\n```\n' }) });
      expect(element.shadowRoot).to.equal(null);
      const paragraph = element.querySelector('[part="content"] p')!;
      expect(paragraph.textContent).to.equal('Hello light DOM.');
      expect(getComputedStyle(paragraph).color).to.equal('rgb(12, 34, 56)');
      await waitFor(() => element.querySelector('pre [part="copy-button"]'), 'copy button in the light DOM');
      // The live region is there, but not visible.
      const announcer = element.querySelector<HTMLElement>('.announcer')!;
      expect(announcer.textContent).to.equal('Response complete');
      const box = announcer.getBoundingClientRect();
      expect(box.width * box.height).to.be.at.most(1);
    } finally {
      style.remove();
    }
  });
});
