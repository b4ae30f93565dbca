/**
 * Every catalog file, imported statically so the bundle carries them (esbuild inlines JSON).
 * A namespace file's keys are prefixed with its name: `cards.json` key `help.heading` is `cards.help.heading`.
 * Adding a language: a folder under locales/ with the same files, one import line each here, and the
 * language in i18n/languages.ts.
 */
import enCommon from '../locales/en/common.json' with { type: 'json' };
import enCards from '../locales/en/cards.json' with { type: 'json' };
import enReplies from '../locales/en/replies.json' with { type: 'json' };
import enDomain from '../locales/en/domain.json' with { type: 'json' };
import enTab from '../locales/en/tab.json' with { type: 'json' };
import enManifest from '../locales/en/manifest.json' with { type: 'json' };
import deCommon from '../locales/de/common.json' with { type: 'json' };
import deCards from '../locales/de/cards.json' with { type: 'json' };
import deReplies from '../locales/de/replies.json' with { type: 'json' };
import deDomain from '../locales/de/domain.json' with { type: 'json' };
import deTab from '../locales/de/tab.json' with { type: 'json' };
import deManifest from '../locales/de/manifest.json' with { type: 'json' };
import frCommon from '../locales/fr/common.json' with { type: 'json' };
import frCards from '../locales/fr/cards.json' with { type: 'json' };
import frReplies from '../locales/fr/replies.json' with { type: 'json' };
import frDomain from '../locales/fr/domain.json' with { type: 'json' };
import frTab from '../locales/fr/tab.json' with { type: 'json' };
import frManifest from '../locales/fr/manifest.json' with { type: 'json' };
import esCommon from '../locales/es/common.json' with { type: 'json' };
import esCards from '../locales/es/cards.json' with { type: 'json' };
import esReplies from '../locales/es/replies.json' with { type: 'json' };
import esDomain from '../locales/es/domain.json' with { type: 'json' };
import esTab from '../locales/es/tab.json' with { type: 'json' };
import esManifest from '../locales/es/manifest.json' with { type: 'json' };
import itCommon from '../locales/it/common.json' with { type: 'json' };
import itCards from '../locales/it/cards.json' with { type: 'json' };
import itReplies from '../locales/it/replies.json' with { type: 'json' };
import itDomain from '../locales/it/domain.json' with { type: 'json' };
import itTab from '../locales/it/tab.json' with { type: 'json' };
import itManifest from '../locales/it/manifest.json' with { type: 'json' };
import ptBRCommon from '../locales/pt-BR/common.json' with { type: 'json' };
import ptBRCards from '../locales/pt-BR/cards.json' with { type: 'json' };
import ptBRReplies from '../locales/pt-BR/replies.json' with { type: 'json' };
import ptBRDomain from '../locales/pt-BR/domain.json' with { type: 'json' };
import ptBRTab from '../locales/pt-BR/tab.json' with { type: 'json' };
import ptBRManifest from '../locales/pt-BR/manifest.json' with { type: 'json' };
import plCommon from '../locales/pl/common.json' with { type: 'json' };
import plCards from '../locales/pl/cards.json' with { type: 'json' };
import plReplies from '../locales/pl/replies.json' with { type: 'json' };
import plDomain from '../locales/pl/domain.json' with { type: 'json' };
import plTab from '../locales/pl/tab.json' with { type: 'json' };
import plManifest from '../locales/pl/manifest.json' with { type: 'json' };
import arCommon from '../locales/ar/common.json' with { type: 'json' };
import arCards from '../locales/ar/cards.json' with { type: 'json' };
import arReplies from '../locales/ar/replies.json' with { type: 'json' };
import arDomain from '../locales/ar/domain.json' with { type: 'json' };
import arTab from '../locales/ar/tab.json' with { type: 'json' };
import arManifest from '../locales/ar/manifest.json' with { type: 'json' };
import type { Language } from './languages.js';

export const NAMESPACES = ['common', 'cards', 'replies', 'domain', 'tab', 'manifest'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** One language's files, by namespace: flat objects of ICU MessageFormat strings. */
export type CatalogFiles = Record<Namespace, Readonly<Record<string, string>>>;

/** The English files, typed: their keys are the message keys. */
export const SOURCE_FILES = { common: enCommon, cards: enCards, replies: enReplies, domain: enDomain, tab: enTab, manifest: enManifest } as const;

export const CATALOG_FILES: Readonly<Record<Language, CatalogFiles>> = {
  en: { common: enCommon, cards: enCards, replies: enReplies, domain: enDomain, tab: enTab, manifest: enManifest },
  de: { common: deCommon, cards: deCards, replies: deReplies, domain: deDomain, tab: deTab, manifest: deManifest },
  fr: { common: frCommon, cards: frCards, replies: frReplies, domain: frDomain, tab: frTab, manifest: frManifest },
  es: { common: esCommon, cards: esCards, replies: esReplies, domain: esDomain, tab: esTab, manifest: esManifest },
  it: { common: itCommon, cards: itCards, replies: itReplies, domain: itDomain, tab: itTab, manifest: itManifest },
  'pt-BR': { common: ptBRCommon, cards: ptBRCards, replies: ptBRReplies, domain: ptBRDomain, tab: ptBRTab, manifest: ptBRManifest },
  pl: { common: plCommon, cards: plCards, replies: plReplies, domain: plDomain, tab: plTab, manifest: plManifest },
  ar: { common: arCommon, cards: arCards, replies: arReplies, domain: arDomain, tab: arTab, manifest: arManifest },
};
