/**
 * Emoji and ASCII emoticons with a polarity (−3…+3), shared by both languages. Only faces and
 * gestures whose meaning in customer messages is fairly stable are listed; ambiguous ones
 * (😂 laughing, 🙃, 😅) are left out on purpose.
 */
export const EMOJI: Record<string, number> = {
  '😊': 1.5, '🙂': 1, '😀': 1.5, '😁': 1.5, '😃': 1.5, '😄': 1.5, '😆': 1.5, '☺': 1.5, '😍': 2.5, '🥰': 2.5, '😘': 2,
  '❤': 2, '♥': 2, '💕': 2, '💖': 2, '👍': 2, '👏': 1.5, '🙏': 1, '🎉': 1.5, '💯': 2, '🌹': 1, '🌸': 0.5, '✌': 0.5, '🤝': 1, '👌': 1.5, '😋': 1.5,
  '😡': -2.5, '😠': -2.5, '🤬': -3, '👎': -2, '😞': -1.5, '😔': -1.5, '😢': -1.5, '😭': -1.5, '😤': -1.5, '💩': -2, '🙄': -1, '😒': -1.5,
  '😫': -1.5, '😩': -1.5, '🤮': -2.5, '🤢': -2, '😑': -0.5, '😣': -1, '😖': -1.5, '💢': -2, '😓': -1,
};

/** ASCII emoticons, matched only as whole whitespace-separated pieces. */
export const EMOTICONS: Record<string, number> = {
  ':)': 1.5, ':-)': 1.5, ':]': 1.5, '=)': 1.5, ':D': 2, ':-D': 2, ';)': 1, ';-)': 1, '^_^': 1.5, '^^': 1, ':P': 0.5, '<3': 2,
  ':(': -1.5, ':-(': -1.5, ':[': -1.5, '=(': -1.5, ":'(": -2, '>:(': -2.5, 'T_T': -1.5, ':/': -0.5, ':-/': -0.5,
};
