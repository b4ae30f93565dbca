/**
 * An Adaptive Cards host config with Microsoft Teams' light-theme values (fonts, spacing and the
 * colour palette Teams uses for Default / Accent / Good / Warning / Attention text), so the
 * renders look like the cards in Teams — including where a colour is hard to read.
 */
const TEXT = {
  default: { default: '#252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

const FONT_SIZES = { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 };
const FONT_WEIGHTS = { lighter: 200, default: 400, bolder: 600 };

export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  choiceSetInputValueSeparator: ',',
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  fontTypes: {
    default: { fontFamily: "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif", fontSizes: FONT_SIZES, fontWeights: FONT_WEIGHTS },
    monospace: { fontFamily: "'Courier New', Courier, monospace", fontSizes: FONT_SIZES, fontWeights: FONT_WEIGHTS },
  },
  containerStyles: {
    default: { backgroundColor: '#ffffff', borderColor: '#CCCCCC', foregroundColors: TEXT },
    emphasis: { backgroundColor: '#fff9f8f7', borderColor: '#666666', foregroundColors: TEXT },
    accent: { backgroundColor: '#C7DEF9', borderColor: '#62A8F7', foregroundColors: TEXT },
    good: { backgroundColor: '#CCFFCC', borderColor: '#69E569', foregroundColors: TEXT },
    attention: { backgroundColor: '#FFC5B2', borderColor: '#FF764C', foregroundColors: TEXT },
    warning: { backgroundColor: '#FFE2B2', borderColor: '#FFBC51', foregroundColors: TEXT },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  adaptiveCard: { allowCustomStyle: false },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
  textStyles: { heading: { fontType: 'default', size: 'large', weight: 'bolder', color: 'default', isSubtle: false } },
};
