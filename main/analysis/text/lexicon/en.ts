/**
 * English sentiment lexicon for SMS-marketing replies and customer feedback (assembled by hand
 * for Segmint; weights −3…+3). Entries are lower-case; multi-word entries are token sequences
 * ("rip off", "sign me up"). Opt-out words (stop, unsubscribe, opt out) count as negative: in a
 * reply to a campaign they are the clearest sign of an unhappy recipient. Weight-0 entries
 * ("would like", "looks like") only stop a word from being read as polar.
 */
import type { SentimentLexicon } from './types';

const w = (weight: number, words: string) => words.split(',').map((t) => t.trim()).filter(Boolean).map((t) => [t, weight] as const);

export const EN_LEXICON: SentimentLexicon = {
  terms: Object.fromEntries([
    ...w(3, 'excellent, outstanding, superb, fantastic, amazing, awesome, perfect, best, love it, top notch, perfectly, five stars, 5 stars'),
    ...w(2.5, 'love, loved, loving, wonderful, brilliant, delighted, delicious, great, impressive, impressed, highly recommend, fabulous, fab, thank you, thanks, thankyou, thx, thank, grateful, appreciate, appreciated, count me in, sign me up, keep it up, well done, lovely'),
    ...w(2, 'good, happy, glad, pleased, satisfied, enjoy, enjoyed, recommend, recommended, helpful, beautiful, tasty, pleasant, pleasure, nice, cool, yay, super, kind, friendly, polite, professional, reliable, comfortable, cheers, solved, resolved, be back, gorgeous, favourite, favorite, thankful, worth, congrats, congratulations, wow'),
    ...w(1.5, 'better, fast, quick, quickly, easy, easier, fresh, clean, fixed, sorted, works, worked, handy, interested, liked, likes, yes please, welcome, affordable, bargain, loyal, fan, surprise, smooth, efficient, on time, helped, enjoying'),
    ...w(0, "would like, i'd like, id like, looks like, look like, feel like, seems like, just like, like a, like this, like that, what like"),
    ...w(1.5, 'like'),
    ...w(1, 'fine by me, well packed, well made, early, decent, fair, useful, cheap'),
    ...w(-3, 'scam, scammer, scammers, fraud, fraudulent, worst, disgusting, rip off, ripped me off, ripped off, ripoff, liar, liars, harassment, sucks, crap, bullshit'),
    ...w(-2.5, 'terrible, awful, horrible, horrendous, rubbish, useless, hate, hated, angry, furious, disappointed, disappointing, rude, unacceptable, spam, spamming, fake, stop, unsubscribe, unsub, opt out, opt me out, leave me alone, waste of money, waste of time, pathetic, ridiculous, lied, misled, misleading, complaint, sick of, fed up'),
    ...w(-2, 'bad, poor, annoying, annoyed, unhappy, broken, broke, damaged, faulty, defective, waste, overpriced, overcharged, cancel, complain, complaining, report, reporting, failed, fail, fails, gross, rubbish service, money back, remove me, nightmare, upset, frustrated, frustrating, mess, lie, joke, dirty, stolen, stole, wrong, never again'),
    ...w(-1.5, 'late, slow, expensive, cold, problem, issue, error, crashing, crashes, crashed, remove, refund, hurt, hurts, pain, confusing, missing, delayed, delay, stale, noisy, lost, worse, cheated, charged twice, bug, buggy, sick, mistake'),
  ]),
  noFlip: ['refund', 'money back', 'cancel', 'complaint', 'remove', 'remove me', 'stop', 'unsubscribe', 'unsub', 'opt out', 'report', 'never again'],
  expectation: Object.fromEntries(
    ['receive', 'received', 'arrive', 'arrived', 'come', 'came', 'work', 'working', 'answer', 'answers', 'answered', 'reply', 'replied', 'replies', 'respond', 'responded', 'help', 'fix',
      'deliver', 'delivered', 'show up', 'showed up', 'order', 'ordered', 'sign up', 'signed up', 'agree', 'agreed', 'log in', 'login', 'load', 'loads', 'open', 'opens', 'text', 'call', 'calling',
      'contact', 'message', 'email', 'send', 'sending', 'again', 'back', 'refunded', 'paid', 'get through'].map((t) => [t, -1.5]),
  ),
  negators: ['not', 'no', 'never', 'nobody', 'none', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot', "can't", 'cant', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt',
    "aren't", 'arent', "weren't", "won't", 'wont', "wouldn't", 'wouldnt', "haven't", 'havent', "hasn't", 'hasnt', "hadn't", "couldn't", 'couldnt', "shouldn't", 'still not', 'yet to', 'no one'],
  strongNegators: ['not at all', 'absolutely not', 'never ever', 'not even', 'not a single', 'still no', 'still not', 'never'],
  degree: {
    very: 1.3, so: 1.3, really: 1.3, super: 1.5, extremely: 1.6, incredibly: 1.6, totally: 1.4, absolutely: 1.5, completely: 1.4, utterly: 1.5, highly: 1.4, most: 1.3,
    too: 1.3, definitely: 1.2, truly: 1.3, such: 1.2, much: 1.2, 'so much': 1.4, quite: 1.1, pretty: 1.1, 'way too': 1.5, especially: 1.3, seriously: 1.3, terribly: 1.5, awfully: 1.4, insanely: 1.6,
    'a bit': 0.6, bit: 0.7, slightly: 0.6, somewhat: 0.7, kinda: 0.7, 'kind of': 0.7, 'sort of': 0.7, 'a little': 0.6, fairly: 0.8, rather: 1.1, almost: 0.7, mostly: 0.9,
  },
  postDegree: { 'a lot': 1.3, 'so much': 1.4, 'very much': 1.4, 'at all': 1.3, 'a million': 1.4, 'loads': 1.3, 'heaps': 1.3 },
  adversative: ['but', 'however', 'though', 'except', 'unfortunately', 'sadly'],
  concessive: ['although', 'even though', 'despite'],
  question: [],
  acknowledgement: ['ok', 'okay', 'k', 'kk', 'sure', 'fine', 'noted', 'got it', 'alright', 'yes', 'yeah', 'yep', 'y'],
};
