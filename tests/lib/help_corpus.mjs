// A generated help center in the folder layout `chamado help export` writes: articles in
// <product>/<module>/<key>.<language>.md with the front matter export writes, one in seven
// showing one of 12 images per folder (PNG, JPEG, GIF, WebP headers; the server reads the type
// from the bytes) from img/ beside it. Used by tests/api/help_roundtrip.test.mjs and
// bench/help_import.sh:
//   node tests/lib/help_corpus.mjs FOLDER ARTICLES [LANGUAGES...]   (prints the images written)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRODUCTS = [
  ['Financeiro', 'financeiro', ['Notas fiscais', 'Boletos', 'Contas a pagar', 'Conciliação']],
  ['Projetos', 'projetos', ['Cronograma', 'Orçamentos', 'Tarefas', 'Apontamento de horas']],
  ['Estoque', 'estoque', ['Entradas', 'Saídas', 'Inventário']],
  ['CRM', 'crm', ['Clientes', 'Oportunidades', 'Propostas']],
  ['Relatórios', 'relatorios', ['Painéis', 'Exportação']],
];
const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// Small files that start as the four image types do (the server reads the type from the bytes).
const MAGIC = {
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  gif: Buffer.from('GIF89a'),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x40, 0, 0, 0]), Buffer.from('WEBPVP8 ')]),
};
export const image = (ext, n) => Buffer.concat([MAGIC[ext], Buffer.from(`image ${ext} ${n} `.repeat(20))]);

export function generateHelpCenter(root, articles, languages) {
  const words = {
    'pt-BR': ['Como', 'emitir', 'cancelar', 'configurar', 'a nota', 'o boleto', 'o projeto', 'relatório'],
    en: ['How to', 'issue', 'cancel', 'set up', 'the invoice', 'the bill', 'the project', 'report'],
    es: ['Cómo', 'emitir', 'cancelar', 'configurar', 'la factura', 'el boleto', 'el proyecto', 'informe'],
  };
  let images = 0;
  for (let i = 0; i < articles; i++) {
    const [product, productSlug, modules] = PRODUCTS[i % PRODUCTS.length];
    const module = modules[Math.floor(i / PRODUCTS.length) % modules.length];
    const dir = join(root, productSlug, slug(module));
    mkdirSync(join(dir, 'img'), { recursive: true });
    const key = `${productSlug}-${slug(module)}-${i}`;
    // One article in seven shows an image: the same 12 images come back in many articles.
    let shot = '';
    if (i % 7 === 3) {
      const ext = ['png', 'jpg', 'gif', 'webp'][i % 4];
      const name = `tela-${i % 12}.${ext}`;
      if (!existsSync(join(dir, 'img', name))) {
        writeFileSync(join(dir, 'img', name), image(ext, i % 12));
        images++;
      }
      shot = `![${module}](img/${name})\n\n`;
    }
    for (const language of languages) {
      const w = words[language];
      const title = `${w[0]} ${w[1 + (i % 3)]} ${w[4 + (i % 4)]} ${i}`;
      const status = i % 10 === 7 ? 'draft' : 'published';
      const tags = i % 3 === 0 ? `tags: [${slug(module)}, t${i % 17}]\n` : '';
      const body =
        `# ${title}\n\n${w[0]} ${w[1]} — ${module} (${language}).\n\n${shot}` +
        `1. ${w[2]} ${w[5]}\n2. ${w[3]} ${w[6]}\n\n| a | b |\n|---|---|\n| ${i} | ${language} |\n`;
      writeFileSync(
        join(dir, `${key}.${language}.md`),
        `---\nkey: ${key}\nlanguage: ${language}\ntitle: ${title}\nproduct: ${product}\nmodule: ${module}\nstatus: ${status}\n${tags}---\n\n${body}`,
      );
    }
  }
  return images;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [folder, count, ...languages] = process.argv.slice(2);
  if (!folder || !Number(count)) {
    console.error('usage: node tests/lib/help_corpus.mjs FOLDER ARTICLES [LANGUAGES...]');
    process.exit(2);
  }
  console.log(generateHelpCenter(folder, Number(count), languages.length ? languages : ['pt-BR', 'en', 'es']));
}
