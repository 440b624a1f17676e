// The ground truth of the fixture missions, from ../shared/fixtures/README.md ("Ground truth"),
// and the shape of the bag summary example's output that the tests read.

/** Messages per topic of walk_2019-03-14.bag and its LZ4 twin (8,647 on 9 topics). */
export const WALK_BAG_TOPICS: Record<string, number> = {
  '/rosout': 10,
  '/tf': 2688,
  '/tf_static': 1,
  '/turtle1/cmd_vel': 357,
  '/turtle1/color_sensor': 1351,
  '/turtle1/pose': 1344,
  '/turtle2/cmd_vel': 208,
  '/turtle2/color_sensor': 1344,
  '/turtle2/pose': 1344,
};

export const WALK_BAG_MESSAGES = 8647;

/** One bag of resources/actions/bag-summary's summary.json. */
export interface BagSummary {
  path: string;
  status: 'ok' | 'damaged';
  messages: number;
  topics: Record<string, { messages: number }>;
  start: number;
  end: number;
  duration: number;
  error: string | null;
}
