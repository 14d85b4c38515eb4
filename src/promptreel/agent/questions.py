"""The questions the editor asks back when a request is vague or misses a detail, EN and ZH."""

from __future__ import annotations

__all__ = ["QUESTIONS_EN", "QUESTIONS_ZH"]

QUESTIONS_EN = {
    "vague": "Happy to improve it — what should change? For example: \"make it vertical\", \"add lo-fi music at 35%\", "
             "\"make the second scene 2 seconds longer\", \"use wipe transitions\" or \"change the title to …\".",
    "unclear": "I'm not sure what to change. You can ask for things like \"make it vertical\", \"change the title to "
               "'…'\", \"quieter music\", \"remove the last scene\", \"turn off captions\" or \"show tracks\".",
    "empty": "What would you like to change?",
    "help": "I edit this video's timeline. Try: \"make it vertical\", \"change the title to '…'\", \"add lo-fi "
            "music at 35%\", \"quieter\", \"use a female voice\", \"speak a bit slower\", \"make the second scene 2 "
            "seconds longer\", \"swap scene 1 and 3\", \"remove the last scene\", \"add a scene about …\", \"new picture "
            "for scene 3\", \"turn off captions\", \"add 'Book now' at the end for 3 seconds\", \"use wipe "
            "transitions\", \"use my photo in scene 2\", \"make it 15 seconds\", \"undo\" or \"show tracks\".",
    "too_long": "That message is too long for a chat edit — ask for one or a few changes at a time.",
    "too_many": "That is a lot of changes at once — please send at most 12 per message.",
    "title_what": "What should change about the title — its text (e.g. change the title to \"Morning Ritual\"), colour, "
                  "size or how long it shows?",
    "title_how_long": "How long should the title show, e.g. \"show the title for 5 seconds\"?",
    "captions_what": "Should the captions be on or off, or a different colour, size or position?",
    "music_what": "What should change about the music — style (lo-fi, upbeat, calm, cinematic, happy, corporate, warm, "
                  "energetic), volume (e.g. 35%), mute, or remove it?",
    "music_style_what": "Which style should the music have: lo-fi, upbeat, calm, cinematic, happy, corporate, warm or "
                        "energetic?",
    "voice_what": "Which voice should the narration use — e.g. \"use a female voice\", or faster/slower?",
    "scene_text_what": "What should that scene say? Put the new line in quotes, e.g. change scene 2's narration to "
                       "\"We roast every morning.\"",
    "scene_about_what": "What should the new scene be about? e.g. \"add a scene about our roastery\".",
    "media_which_scene": "Which scene should show your upload, e.g. \"use my photo in scene 2\"?",
    "visual_which_scene": "Which scene needs a new picture, e.g. \"new picture for scene 3\"?",
    "swap_which": "Which two scenes should I swap, e.g. \"swap scene 1 and 3\"?",
    "move_where": "Where should that scene go — to the start, the end, or after another scene?",
    "remove_which": "Which scene should I remove, e.g. \"remove the last scene\" or \"remove scene 2\"?",
    "transition_what": "Which transition: crossfade, wipe, slide, zoom or plain cuts?",
    "transition_after_last": "The last scene has nothing after it — which cut do you mean?",
    "duration_how_much": "How long should the video be, e.g. \"make it 15 seconds\"?",
    "thanks": "Glad it helps! Anything else to change? For example \"make the text bigger\", \"add an ending\" or "
              "\"export\".",
    "instagram_which": "For Instagram: Reels and Stories are vertical (9:16), feed posts square (1:1) — which one? "
                       "Say \"make it vertical\" or \"make it square\".",
    "picture_size": "I can't resize the pictures: each scene's layout sets their size. I can give a scene another "
                    "picture (\"new picture for scene 2\"), show your own photo full-frame (\"use my photo in scene "
                    "2\"), or make the words smaller (\"make the text smaller\").",
}  # fmt: skip
QUESTIONS_ZH = {
    "vague": "好的，想改哪里呢？例如：“改成竖屏”“加上35%音量的lo-fi音乐”“把第二个场景延长2秒”“使用擦除转场”或“把标题改成……”。",
    "unclear": "我不太确定要改什么。可以说：“改成竖屏”“把标题改成……”“音乐小声一点”“删除最后一个场景”“关闭字幕”或“时间线上有什么”。",
    "empty": "想修改什么呢？",
    "help": "我可以修改这个视频的时间线。例如：“改成竖屏”“把标题改成……”“加上35%音量的lo-fi音乐”“音乐小声一点”“用女声”“说慢一点”"
            "“把第二个场景延长2秒”“交换第一个和第三个场景”“删除最后一个场景”“加一个关于……的场景”“给第三个场景换一张图”“关闭字幕”"
            "“在结尾加上‘立即预订’3秒”“使用擦除转场”“第二个场景用我的照片”“改成15秒”“撤销”或“时间线上有什么”。",
    "too_long": "这条消息太长了，不像是一次修改——请一次提一个或几个修改。",
    "too_many": "一次的修改太多了——每条消息最多 12 个修改。",
    "title_what": "标题要改什么——文字（如“把标题改成‘清晨仪式’”）、颜色、大小，还是显示多久？",
    "title_how_long": "标题要显示多久？例如“标题显示5秒”。",
    "captions_what": "字幕要打开还是关闭，或者改颜色、大小、位置？",
    "music_what": "背景音乐要怎么改——风格（lo-fi、轻快、舒缓、电影感、欢快、商务、温暖、动感）、音量（如35%）、静音还是删除？",
    "music_style_what": "想换成什么风格的音乐：lo-fi、轻快、舒缓、电影感、欢快、商务、温暖还是动感？",
    "voice_what": "旁白想用什么声音？例如“用女声”，或者说快一点/慢一点。",
    "scene_text_what": "那个场景要说什么？请把新台词放在引号里，例如：把第二个场景的旁白改成“我们每天早上烘焙”。",
    "scene_about_what": "新场景要讲什么？例如“加一个关于烘焙工坊的场景”。",
    "media_which_scene": "要把上传的文件放在哪个场景？例如“第二个场景用我的照片”。",
    "visual_which_scene": "哪个场景要换图？例如“给第三个场景换一张图”。",
    "swap_which": "要交换哪两个场景？例如“交换第一个和第三个场景”。",
    "move_where": "要把这个场景移到哪里——开头、结尾，还是某个场景后面？",
    "remove_which": "要删除哪个场景？例如“删除最后一个场景”。",
    "transition_what": "用哪种转场：淡入淡出、擦除、滑动、缩放还是直切？",
    "transition_after_last": "最后一个场景后面没有内容——你指的是哪一处转场？",
    "duration_how_much": "视频要多长？例如“改成15秒”。",
    "thanks": "不客气！还想改哪里吗？例如“文字大一点”“加个片尾”或“导出”。",
    "instagram_which": "发 Instagram 的话：Reels 和快拍是竖屏（9:16），动态帖子是方形（1:1）——要哪一种？可以说“改成竖屏”或“改成方形”。",
    "picture_size": "图片的大小由每个场景的版式决定，我暂时不能单独调整。可以给场景换一张图（“给第二个场景换一张图”）、"
                    "用你自己的照片铺满画面（“第二个场景用我的照片”），或者把文字调小（“文字小一点”）。",
}  # fmt: skip
