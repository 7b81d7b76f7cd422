#include "search/language_guess.h"

#include <gtest/gtest.h>

namespace chamado::search {
namespace {

TEST(GuessLanguageTest, TellsTheDeskLanguagesApart) {
  struct Case {
    const char* text;
    const char* language;
  } cases[] = {
      {"Não consigo acessar o painel desde ontem, e a mensagem de erro diz que a minha senha expirou.", "pt-BR"},
      {"No puedo acceder al panel desde ayer y el mensaje de error dice que mi contraseña ha caducado.", "es"},
      {"I cannot log in to the dashboard since yesterday and the error says that my password has expired.", "en"},
      {"Ich kann mich seit gestern nicht mehr anmelden, und die Fehlermeldung sagt, dass mein Passwort abgelaufen ist.", "de"},
      {"Я не могу войти в панель со вчерашнего дня, и сообщение об ошибке говорит, что мой пароль истёк.", "ru"},
      {"Olá! O webhook parou de enviar as mensagens para o nosso sistema e os clientes estão sem resposta.", "pt-BR"},
      {"Relatório lento\nO relatório de campanhas não abre desde ontem e a página fica carregando sem mostrar nenhum erro.", "pt-BR"},
      {"Hola, el webhook dejó de enviar los mensajes a nuestro sistema y los clientes están sin respuesta.", "es"},
  };
  for (const auto& c : cases) EXPECT_EQ(GuessLanguage(c.text), c.language) << c.text;
}

TEST(GuessLanguageTest, SaysNothingWhenTheTextDoesNotTell) {
  EXPECT_EQ(GuessLanguage(""), "");
  EXPECT_EQ(GuessLanguage("HTTP 500 /api/v2/messages"), "");
  EXPECT_EQ(GuessLanguage("webhook timeout"), "") << "no stop words at all";
  EXPECT_EQ(GuessLanguage("a"), "") << "one stop word is not enough";
  EXPECT_EQ(GuessLanguage("Não funciona"), "") << "one telling word is not enough";
  EXPECT_EQ(GuessLanguage("de que a o e"), "") << "words Portuguese and Spanish share tell nothing";
}

}  // namespace
}  // namespace chamado::search
