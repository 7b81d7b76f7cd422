// Chamado's chat widget loader: <script src="https://desk.example/widget.js" async></script>
// on any page adds a chat button that opens the desk's chat in a frame (widget/chat.html,
// served by the desk, so the conversation talks to its own origin). Optional attributes on
// the tag: data-language (en, pt-BR, es, de, ru; default the visitor's browser) and
// data-identity (a signed-in customer's token, signed by the host site: docs/chat.md).
(function () {
  var me = document.currentScript;
  if (!me || window.__chamadoChat) return;
  window.__chamadoChat = true;
  var base = new URL(me.src).origin;
  var q = new URLSearchParams();
  q.set('lang', me.getAttribute('data-language') || navigator.language || 'en');
  if (me.getAttribute('data-identity')) q.set('identity', me.getAttribute('data-identity'));
  var frame = null;
  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('data-chamado', 'chat-button');
  button.setAttribute('aria-label', 'Chat');
  button.textContent = '💬';
  button.style.cssText = 'position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;' +
    'background:#1f5eff;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483646';
  button.onclick = function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = base + '/widget/chat.html?' + q.toString();
      frame.title = 'Chat';
      frame.setAttribute('data-chamado', 'chat-frame');
      frame.style.cssText = 'position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;' +
        'max-height:calc(100vh - 120px);border:1px solid #ccd;border-radius:12px;background:#fff;z-index:2147483647';
      document.body.appendChild(frame);
    } else {
      frame.style.display = frame.style.display === 'none' ? '' : 'none';
    }
  };
  (document.body || document.documentElement).appendChild(button);
})();
