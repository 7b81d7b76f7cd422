// The chat inside the widget's frame (widget.js): one conversation with the desk, kept across
// page loads (its id and token in this frame's storage). The bot first, then a person; the
// desk's notices (queue, hours, offers) as they come. Messages come over the conversation's
// WebSocket in sequence order; a dropped socket reconnects and resumes after the newest one
// held, and sends not yet acknowledged are sent again with the same client id, which the
// server stores once (docs/chat.md).
(function () {
  var T = {
    en: ['Chat with us', 'Send', 'Type a message', 'Typing…', 'Open a ticket instead', 'Your email address, for the ticket:', 'OK', 'Ticket #{n} is open; we answer there.', 'Chat', 'Email me the transcript', 'The transcript is on its way to {to}.', 'Attach files', 'A file is too large: {d}', 'At most 20 files per message.', 'The files were not sent; try again.', 'End chat', 'New chat'],
    'pt-BR': ['Fale conosco', 'Enviar', 'Escreva uma mensagem', 'Digitando…', 'Abrir um ticket', 'Seu e-mail, para o ticket:', 'OK', 'O ticket #{n} está aberto; respondemos por lá.', 'Chat', 'Enviar a transcrição por e-mail', 'A transcrição está a caminho de {to}.', 'Anexar arquivos', 'Arquivo grande demais: {d}', 'No máximo 20 arquivos por mensagem.', 'Os arquivos não foram enviados; tente de novo.', 'Encerrar', 'Nova conversa'],
    es: ['Hable con nosotros', 'Enviar', 'Escriba un mensaje', 'Escribiendo…', 'Abrir un ticket', 'Su correo, para el ticket:', 'OK', 'El ticket #{n} está abierto; respondemos allí.', 'Chat', 'Enviarme la transcripción', 'La transcripción va camino de {to}.', 'Adjuntar archivos', 'Un archivo es demasiado grande: {d}', 'Como máximo 20 archivos por mensaje.', 'Los archivos no se enviaron; inténtelo de nuevo.', 'Terminar', 'Nueva conversación'],
    de: ['Schreiben Sie uns', 'Senden', 'Nachricht schreiben', 'Schreibt…', 'Stattdessen ein Ticket eröffnen', 'Ihre E-Mail-Adresse für das Ticket:', 'OK', 'Ticket #{n} ist eröffnet; wir antworten dort.', 'Chat', 'Protokoll per E-Mail senden', 'Das Protokoll ist unterwegs an {to}.', 'Dateien anhängen', 'Eine Datei ist zu groß: {d}', 'Höchstens 20 Dateien pro Nachricht.', 'Die Dateien wurden nicht gesendet; bitte erneut versuchen.', 'Chat beenden', 'Neuer Chat'],
    ru: ['Напишите нам', 'Отправить', 'Введите сообщение', 'Печатает…', 'Открыть тикет', 'Ваш e-mail для тикета:', 'OK', 'Тикет #{n} открыт; ответим там.', 'Чат', 'Прислать запись на e-mail', 'Запись отправлена на {to}.', 'Прикрепить файлы', 'Файл слишком большой: {d}', 'Не больше 20 файлов в сообщении.', 'Файлы не отправлены; попробуйте ещё раз.', 'Завершить', 'Новый чат'],
  };
  var params = new URLSearchParams(location.search);
  var asked = params.get('lang') || navigator.language || 'en';
  var lang = T[asked] ? asked : /^pt/i.test(asked) ? 'pt-BR' : T[asked.slice(0, 2)] ? asked.slice(0, 2) : 'en';
  var s = T[lang];
  var $ = function (id) { return document.getElementById(id); };
  document.documentElement.lang = lang;
  $('title').textContent = s[0];
  $('send').textContent = s[1];
  $('text').placeholder = s[2];
  $('email').placeholder = s[5];
  $('email-form').querySelector('button').textContent = s[6];
  $('transcript').textContent = s[9];
  $('attach').title = s[11];
  $('attach').setAttribute('aria-label', s[11]);

  var KEY = 'chamado-chat';
  var state = null;
  try { state = JSON.parse(localStorage.getItem(KEY) || 'null'); } catch (e) { state = null; }
  var ws = null, retry = 0, pending = {}, sent = 0, typingAt = 0, conversation = null;

  function save() { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ } }
  function api(method, path, body) {
    var h = { 'content-type': 'application/json', 'accept-language': lang };
    if (state && state.token) h['x-conversation-token'] = state.token;
    return fetch('/api/v1/conversations' + path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j; return j; }); });
  }
  function show(c) {
    conversation = c;
    $('chat-id').textContent = c.chat_id;
    $('form').hidden = c.status === 'closed';
    // The transcript goes to the customer's address: shown once the desk knows it.
    $('transcript').hidden = !(c.email || c.contact_id);
    $('end').textContent = c.status === 'closed' ? s[16] : s[15];
  }
  function ticketOffer(li) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = s[4];
    b.setAttribute('data-testid', 'widget-ticket');
    b.onclick = function () { (conversation && (conversation.email || conversation.contact_id)) ? convert() : askEmail(); };
    li.appendChild(document.createElement('br'));
    li.appendChild(b);
  }
  // A file is fetched with the conversation's token (a plain link could not send it) and
  // handed to the browser as a download.
  function fileLink(a) {
    var l = document.createElement('a');
    l.href = '#';
    l.textContent = '📎 ' + a.filename;
    l.setAttribute('data-testid', 'widget-file-link');
    l.onclick = function (e) {
      e.preventDefault();
      fetch(a.url, { headers: { 'x-conversation-token': state.token } }).then(function (r) { return r.blob(); }).then(function (b) {
        var d = document.createElement('a');
        d.href = URL.createObjectURL(b);
        d.download = a.filename;
        d.click();
      });
    };
    return l;
  }
  function add(m) {
    if (m.seq <= state.newest) return;
    state.newest = m.seq;
    save();
    var li = document.createElement('li');
    li.className = m.author;
    li.setAttribute('data-seq', m.seq);
    li.textContent = m.text;
    (m.attachments || []).forEach(function (a) { li.appendChild(document.createElement('br')); li.appendChild(fileLink(a)); });
    if (m.offer_ticket) ticketOffer(li);
    $('log').appendChild(li);
    $('log').scrollTop = $('log').scrollHeight;
    var opts = $('options');
    opts.textContent = '';
    (m.author === 'bot' && m.options || []).forEach(function (o) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = o.label;
      b.onclick = function () { opts.textContent = ''; send({ option: o.id }); };
      opts.appendChild(b);
    });
    if (m.author !== 'customer') $('typing').hidden = true;
  }
  function send(what) {
    sent += 1;
    typingAt = 0;  // typing after a message is news again
    var id = 'w-' + Date.now().toString(36) + '-' + sent;
    var frame = { type: 'send', client_id: id };
    if (what.option) frame.option = what.option; else frame.text = what.text;
    pending[id] = frame;
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
  }
  function connect() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/conversations/' + state.id + '/socket';
    ws = new WebSocket(url);
    ws.onopen = function () {
      retry = 0;
      ws.send(JSON.stringify({ type: 'hello', token: state.token, after: state.newest }));
      Object.keys(pending).forEach(function (id) { ws.send(JSON.stringify(pending[id])); });
    };
    ws.onmessage = function (e) {
      var f = JSON.parse(e.data);
      if (f.type === 'welcome' || f.type === 'conversation') show(f.conversation);
      else if (f.type === 'message') add(f.message);
      else if (f.type === 'ack') delete pending[f.client_id];
      else if (f.type === 'typing') { $('typing').textContent = s[3]; $('typing').hidden = false; }
      else if (f.type === 'error' && f.code === 'not_found') { state = null; save(); location.reload(); }
    };
    ws.onclose = function () { retry = Math.min(retry + 1, 6); setTimeout(connect, 400 * retry); };
  }
  function askEmail() { $('email-form').hidden = false; $('email').focus(); }
  function convert() {
    api('POST', '/' + state.id + '/convert').then(function (r) {
      show(r.conversation);
      var li = document.createElement('li');
      li.className = 'system';
      li.setAttribute('data-testid', 'widget-ticket-opened');
      li.textContent = s[7].replace('{n}', r.ticket_number);
      $('log').appendChild(li);
    });
  }
  $('transcript').onclick = function () {
    api('POST', '/' + state.id + '/transcript').then(function (r) {
      var li = document.createElement('li');
      li.className = 'system';
      li.setAttribute('data-testid', 'widget-transcript-sent');
      li.textContent = s[10].replace('{to}', r.to);
      $('log').appendChild(li);
    });
  };
  // Ending it while nobody has answered makes it a ticket (the desk's notice says so); once
  // it is over, the same button starts a new conversation.
  $('end').onclick = function () {
    if (conversation && conversation.status === 'closed') { state = null; save(); return location.reload(); }
    api('POST', '/' + state.id + '/close').then(function (r) { show(r.conversation); r.messages.forEach(add); });
  };
  $('email-form').onsubmit = function (e) {
    e.preventDefault();
    api('PUT', '/' + state.id + '/email', { email: $('email').value }).then(function (r) {
      $('email-form').hidden = true;
      show(r.conversation);
      convert();
    });
  };
  $('form').onsubmit = function (e) {
    e.preventDefault();
    var text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send({ text: text });
  };
  $('attach').onclick = function () { $('file').click(); };
  // Files go over HTTP (the socket carries text); the stored message comes back on the socket.
  $('file').onchange = function () {
    var f = new FormData(), files = [].slice.call($('file').files), largest = '';
    if (!files.length) return;
    sent += 1;
    f.append('text', $('text').value.trim());
    f.append('client_id', 'w-' + Date.now().toString(36) + '-' + sent);
    files.forEach(function (x) { f.append('attachments', x, x.name); if (!largest || x.size > largest.size) largest = x; });
    $('text').value = $('file').value = '';
    fetch('/api/v1/conversations/' + state.id + '/messages', { method: 'POST', headers: { 'x-conversation-token': state.token }, body: f })
      .then(function (r) {
        if (r.ok) return r.json().then(function (j) { j.messages.forEach(add); });
        var li = document.createElement('li');
        li.className = 'system';
        li.setAttribute('data-testid', 'widget-file-error');
        // Over the size limit, the largest file is surely one of those refused.
        li.textContent = r.status === 413 ? s[12].replace('{d}', largest.name) : files.length > 20 ? s[13] : s[14];
        $('log').appendChild(li);
      });
  };
  $('text').oninput = function () {
    if (ws && ws.readyState === 1 && Date.now() - typingAt > 3000) { typingAt = Date.now(); ws.send(JSON.stringify({ type: 'typing' })); }
  };

  if (state && state.id) return connect();
  var body = { language: lang };
  if (params.get('identity')) body.identity = params.get('identity');
  state = { newest: 0 };
  api('POST', '', body).then(function (r) {
    state = { id: r.conversation.id, token: r.token, newest: 0 };
    save();
    show(r.conversation);
    r.messages.forEach(add);
    connect();
  });
})();
