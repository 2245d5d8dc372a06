/*
 * The form, streamed: with JavaScript on, a submit posts the prompt as JSON to /api/ask/stream and shows
 * each transport's answer growing as its chunks arrive, then the trace's waterfall once the stream is
 * done. Without JavaScript (or without fetch streams) the form posts to /ask as it always did.
 * Served as a file because the Content-Security-Policy allows no inline script; every text from the
 * server goes into the page as text (textContent), never as markup.
 */
(function () {
    'use strict';

    /**
     * A text/event-stream parser fed the body piece by piece (a piece may end anywhere, even inside a
     * line): calls onEvent({event, data}) for each complete event, as the EventSource specification reads them.
     */
    function EventStreamParser(onEvent) {
        var buffer = '';
        var event = '';
        var data = [];
        var afterCarriageReturn = false;

        function line(text) {
            if (text === '') {
                if (data.length > 0) {
                    onEvent({ event: event || 'message', data: data.join('\n') });
                }
                event = '';
                data = [];
                return;
            }
            if (text.charAt(0) === ':') {
                return; // a comment (a keep-alive)
            }
            var colon = text.indexOf(':');
            var field = colon < 0 ? text : text.slice(0, colon);
            var value = colon < 0 ? '' : text.slice(colon + 1);
            if (value.charAt(0) === ' ') {
                value = value.slice(1);
            }
            if (field === 'event') {
                event = value;
            } else if (field === 'data') {
                data.push(value);
            }
        }

        this.push = function (text) {
            if (afterCarriageReturn && text.charAt(0) === '\n') {
                text = text.slice(1); // the second half of a CRLF split across pieces
            }
            afterCarriageReturn = false;
            buffer += text;
            var end;
            while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
                var breakLength = buffer.charAt(end) === '\r' && buffer.charAt(end + 1) === '\n' ? 2 : 1;
                if (buffer.charAt(end) === '\r' && end + 1 === buffer.length) {
                    afterCarriageReturn = true;
                }
                line(buffer.slice(0, end));
                buffer = buffer.slice(end + breakLength);
            }
        };
    }

    if (typeof module === 'object' && module.exports) {
        module.exports = { EventStreamParser: EventStreamParser };
        return;
    }

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function append(parent) {
        for (var i = 1; i < arguments.length; i++) {
            var child = arguments[i];
            parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
        }
        return parent;
    }

    function traceIdLine(traceId) {
        return append(element('div', 'meta'), 'Trace id: ', element('code', 'trace-id', traceId));
    }

    function problemText(problem) {
        var title = problem.title || 'Error';
        return problem.detail ? title + ': ' + problem.detail : title;
    }

    /** One transport's box: pending while it grows, then an answer or an error. */
    function TransportBox(transport, startedAt) {
        var self = this;
        var firstChunkAt = null;
        var text = document.createTextNode('');
        var firstChunk = element('span', 'first-chunk', 'first chunk: waiting');
        var source = element('span', 'source');
        self.state = 'waiting';
        self.node = element('div', 'pending streamed');
        self.node.id = 'stream-' + transport;
        self.node.setAttribute('data-transport', transport);
        self.node.setAttribute('data-state', self.state);
        var meta = append(element('div', 'meta'), 'over ', element('strong', '', transport), ' ', source, ' · ', firstChunk);
        append(self.node, meta, append(element('p', 'text'), text));

        function setState(state, className) {
            self.state = state;
            self.node.setAttribute('data-state', state);
            if (className) {
                self.node.className = className + ' streamed';
            }
        }

        self.pending = function () {
            return self.state === 'waiting' || self.state === 'streaming';
        };

        /** The live time to first chunk, measured here, until the first chunk arrives. */
        self.tick = function (now) {
            if (self.state === 'waiting') {
                firstChunk.textContent = 'first chunk: waiting ' + ((now - startedAt) / 1000).toFixed(1) + ' s';
            }
        };

        self.chunk = function (piece) {
            if (!self.pending()) {
                return;
            }
            if (firstChunkAt === null) {
                firstChunkAt = performance.now();
                firstChunk.textContent = 'first chunk after ' + Math.round(firstChunkAt - startedAt) + ' ms (measured here)';
                setState('streaming');
            }
            text.appendData(piece);
        };

        self.answer = function (answer) {
            text.data = answer.text;
            source.textContent = '';
            append(source, 'from ', element('code', 'model', answer.model), ' in ', element('span', 'latency', String(answer.latencyMs)), ' ms');
            firstChunk.textContent = 'first chunk after ' + answer.firstChunkMs + ' ms';
            setState('answered', 'answer');
        };

        self.fail = function (message, traceId) {
            if (firstChunkAt === null) {
                firstChunk.textContent = 'no chunk arrived';
            }
            var error = append(element('div', 'failure'), element('strong', '', message));
            meta.insertAdjacentElement('afterend', error);
            if (traceId) {
                error.appendChild(traceIdLine(traceId));
            }
            setState('failed', 'error');
        };
    }

    /** The streamed result below the form: the boxes, then the trace once the stream is done. */
    function StreamedResult(form, transport, propagated) {
        var startedAt = performance.now();
        var boxes = {};
        var status = element('p', 'meta', 'Streaming the answer…');
        status.id = 'stream-status';
        var timer;
        this.node = element('section', 'streamed');
        this.node.id = 'result';
        this.node.setAttribute('data-transport', transport);
        this.node.setAttribute('data-state', 'streaming');
        this.node.appendChild(status);
        (transport === 'both' ? ['http', 'kafka'] : [transport]).forEach(function (hop) {
            boxes[hop] = new TransportBox(hop, startedAt);
            this.node.appendChild(boxes[hop].node);
        }, this);
        timer = setInterval(function () {
            var now = performance.now();
            Object.keys(boxes).forEach(function (hop) {
                boxes[hop].tick(now);
            });
        }, 100);

        this.box = function (hop) {
            return boxes[hop];
        };

        /** Every box still waiting or growing fails with this message. */
        this.failPending = function (message, traceId) {
            Object.keys(boxes).forEach(function (hop) {
                if (boxes[hop].pending()) {
                    boxes[hop].fail(message, traceId);
                }
            });
        };

        this.end = function (state) {
            clearInterval(timer);
            this.node.setAttribute('data-state', state);
            if (status.parentNode && state !== 'done') {
                status.textContent = 'The stream ended.';
            }
        };

        this.done = function (traceId) {
            this.failPending('The stream ended without this answer', traceId);
            var expected = form.getAttribute('data-spans-' + transport + (propagated ? '' : '-unpropagated')) || '1';
            var code = element('code', '', traceId);
            code.id = 'trace-id';
            status.textContent = '';
            append(status, 'Trace id: ', code);
            var link = element('a', '', 'Full page of this trace');
            link.id = 'trace-link';
            link.href = '/traces/' + encodeURIComponent(traceId);
            var recent = element('a', '', 'recent traces');
            recent.href = '/traces';
            var frame = element('iframe', 'trace-frame');
            frame.id = 'trace-frame';
            frame.title = 'The trace of this request';
            frame.style.height = (Number(expected) * 1.9 + 9) + 'rem';
            frame.src = '/traces/' + encodeURIComponent(traceId) + '/embed?expect=' + encodeURIComponent(expected);
            fitFrame(frame);
            append(this.node, element('h2', '', 'The trace'), append(element('p', 'meta'), link, ' · ', recent), frame);
            this.end('done');
        };
    }

    /**
     * The trace's frame as tall as the waterfall it shows, and again whenever that changes (a row opened
     * to its attributes): the page scrolls, the frame never has a scroll bar of its own. Its first height
     * (from the spans expected) only holds until the waterfall has loaded.
     */
    function fitFrame(frame) {
        var observer = null;
        var loaded = function () {
            var page = frame.contentDocument;
            if (!page || !page.body) {
                return; // not readable (another origin): the height from the spans expected stays
            }
            var fit = function () {
                // the root's box: the body with its margins, and those of its first and last children
                // that collapse through it
                frame.style.height = Math.ceil(page.documentElement.getBoundingClientRect().height) + 'px';
            };
            fit();
            if (observer) {
                observer.disconnect();
            }
            if (typeof ResizeObserver === 'function') {
                observer = new ResizeObserver(fit);
                observer.observe(page.body);
            } else {
                page.addEventListener('toggle', fit, true);
            }
        };
        frame.addEventListener('load', loaded);
        return loaded;
    }

    function showError(form, message, traceId) {
        var error = append(element('div', 'error'), element('strong', '', message));
        error.id = 'error';
        if (traceId) {
            error.appendChild(traceIdLine(traceId));
        }
        form.insertAdjacentElement('afterend', error);
    }

    function parse(json) {
        try {
            return JSON.parse(json);
        } catch (notJson) {
            return null;
        }
    }

    function handle(result, message) {
        var data = parse(message.data);
        if (!data) {
            return;
        }
        var box = data.transport ? result.box(data.transport) : null;
        if (message.event === 'chunk' && box) {
            box.chunk(data.text || '');
        } else if (message.event === 'answer' && box) {
            box.answer(data);
        } else if (message.event === 'error') {
            if (box) {
                box.fail(problemText(data), data.traceId);
            } else {
                result.failPending(problemText(data), data.traceId);
            }
        } else if (message.event === 'done') {
            result.done(data.traceId);
            return true;
        }
        return false;
    }

    async function stream(form, button) {
        var transport = (form.elements.transport && form.elements.transport.value) || 'http';
        var checkbox = form.elements.propagate;
        var propagate = Boolean(checkbox && checkbox.checked && !checkbox.disabled);
        var body = JSON.stringify({ text: form.elements.text.value, transport: transport, propagate: propagate });
        ['result', 'error'].forEach(function (id) {
            var old = document.getElementById(id);
            if (old) {
                old.remove();
            }
        });
        var result = new StreamedResult(form, transport, propagate);
        var finished = false;
        button.disabled = true;
        try {
            var response = await fetch(form.getAttribute('data-stream-url'), {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream, application/problem+json' },
                body: body
            });
            if (response.status === 404 || response.status === 405) {
                // An application without the streaming endpoint: the plain post still works.
                result.end('failed');
                form.submit();
                return;
            }
            var type = response.headers.get('Content-Type') || '';
            if (!response.ok || type.indexOf('text/event-stream') !== 0) {
                // Refused before any stream started (400, 413, 415, ...): a problem+json, no boxes.
                var problem = parse(await response.text()) || {};
                result.end('failed');
                showError(form, problem.title ? problemText(problem) : 'The server answered ' + response.status, problem.traceId);
                return;
            }
            form.insertAdjacentElement('afterend', result.node);
            var parser = new EventStreamParser(function (message) {
                finished = handle(result, message) || finished;
            });
            var reader = response.body.getReader();
            var decoder = new TextDecoder();
            for (;;) {
                var read = await reader.read();
                if (read.done) {
                    parser.push(decoder.decode()); // an event without its blank line is dropped, as EventSource does
                    break;
                }
                parser.push(decoder.decode(read.value, { stream: true }));
            }
            if (!finished) {
                result.failPending('The stream ended before the answer was complete');
                result.end('failed');
                showError(form, 'The stream ended before it was done');
            }
        } catch (failure) {
            if (finished) {
                return; // the connection closed badly after the last event: nothing is missing
            }
            result.failPending('The connection was lost: ' + failure.message);
            result.end('failed');
            showError(form, 'The connection was lost: ' + failure.message);
        } finally {
            button.disabled = false;
        }
    }

    function enhance() {
        var served = document.getElementById('trace-frame'); // the page of a plain post, shown with JavaScript on
        if (served) {
            var loaded = fitFrame(served);
            var page = served.contentDocument;
            if (page && page.readyState === 'complete' && page.URL !== 'about:blank') {
                loaded(); // it loaded before this script ran
            }
        }
        var form = document.getElementById('ask-form');
        var streams = typeof fetch === 'function' && typeof ReadableStream === 'function' && typeof TextDecoder === 'function';
        if (!form || !streams || !form.getAttribute('data-stream-url')) {
            return;
        }
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            stream(form, event.submitter || form.querySelector('button[type=submit]'));
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', enhance);
    } else {
        enhance();
    }
}());
